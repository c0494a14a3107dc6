package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The progress YARN shows, through the same path as in the JobManager (tracker, recorder,
 * diagnostics read by the heartbeat) on a clock of the test's own.
 */
class ProgressEstimateTest {

    private long now = 1_000_000_000L;
    private final DriverDiagnostics diagnostics = new DriverDiagnostics(() -> now);
    private final JobID driver = new JobID();
    private final LivingPriorityTracker tracker = new LivingPriorityTracker(driver);
    private final ProgressRecorder recorder = new ProgressRecorder(diagnostics.clock());

    /** What the heartbeat reads, sampled every second. */
    private final List<Double> heartbeats = new ArrayList<>();

    @Test
    void isZeroUntilTheFirstJobRunsAndMovesWhileItRuns() {
        publish();
        assertThat(diagnostics.getProgress()).isZero();

        JobID job = submit(LivingPriority.NORMAL);
        assertThat(diagnostics.getProgress()).isZero();
        now += 5_000;
        double atFive = diagnostics.getProgress();
        now += 5_000;
        double atTen = diagnostics.getProgress();

        assertThat(atFive).as("no job ended, the bar moves on the heartbeat alone").isPositive();
        assertThat(atTen).isGreaterThan(atFive).isLessThan(0.5);
        end(job, JobStatus.FINISHED);
        assertThat(diagnostics.getProgress()).isGreaterThan(atTen);
    }

    @Test
    void fiveSequentialJobsMoveTheBarStrictlyInsideZeroAndOneAndNeverBackwards() {
        runSequentially(5, 3_000);

        assertThat(heartbeats).isSorted();
        assertThat(heartbeats.subList(1, heartbeats.size()))
                .allSatisfy(p -> assertThat(p).isStrictlyBetween(0.0, 1.0));
        assertThat(distinct(heartbeats)).as("it moves within every job").isGreaterThan(10);

        tracker.jobTerminated(driver, JobStatus.FINISHED);
        publish();
        assertThat(diagnostics.getProgress()).as("ended, not yet unregistered").isLessThan(1.0);
        diagnostics.applicationEnded("done");
        assertThat(diagnostics.getProgress()).isEqualTo(1.0);
    }

    @Test
    void neverNearsFullWhileMostOfTheWorkIsAhead() {
        List<Double> afterJob = runSequentially(150, 2_000);

        assertThat(heartbeats).isSorted();
        assertThat(afterJob.get(14)).as("after 15 of 150 jobs").isLessThan(0.55);
        assertThat(afterJob.get(74)).as("after half of them").isLessThan(0.66);
        assertThat(afterJob.get(149)).as("main() has not returned yet").isLessThan(0.7);
    }

    @Test
    void jobsSubmittedAtOnceCountAsWorkAhead() {
        for (int i = 0; i < 40; i++) {
            submit(LivingPriority.NORMAL);
        }
        now += 2_000;

        // Each has run 2 s of the 30 s a first job is expected to take: W is 2.5 jobs' worth,
        // which alone would show a third, but 37.5 of the 40 jobs known are ahead.
        assertThat(diagnostics.getProgress()).isCloseTo(2.0 / 32, offset(0.001));
    }

    @Test
    void onceMainReturnedTheBarIsTheShareOfTheKnownWork() {
        List<JobID> jobs = List.of(submit(LivingPriority.NORMAL), submit(LivingPriority.NORMAL));
        JobID last = submit(LivingPriority.NORMAL);
        now += 10_000;
        jobs.forEach(job -> end(job, JobStatus.FINISHED));
        tracker.jobTerminated(driver, JobStatus.FINISHED);
        publish();

        assertThat(diagnostics.getProgress())
                .as("2 of 3 jobs ended after 10 s each, the third has run as long")
                .isCloseTo((2 + 0.5) / 3, offset(0.001));
        end(last, JobStatus.FINISHED);
        assertThat(diagnostics.getProgress())
                .as("below 100 % until the application has ended")
                .isEqualTo(ProgressEstimate.CAP);
    }

    @Test
    void daemonJobsAndTheDriverCountNothing() {
        submit(LivingPriority.DAEMON);
        now += 60_000;

        assertThat(diagnostics.getProgress()).isZero();
    }

    @Test
    void aLowerEstimateNeverTakesTheBarBack() {
        JobID first = submit(LivingPriority.NORMAL);
        end(first, JobStatus.FINISHED);
        double before = diagnostics.getProgress();
        for (int i = 0; i < 10; i++) {
            submit(LivingPriority.NORMAL);
        }

        assertThat(diagnostics.getProgress()).isEqualTo(before);
    }

    /**
     * @return the progress after each job ended
     */
    private List<Double> runSequentially(int jobs, long millisEach) {
        List<Double> afterJob = new ArrayList<>();
        publish();
        for (int i = 0; i < jobs; i++) {
            JobID job = submit(LivingPriority.NORMAL);
            for (long t = 0; t < millisEach; t += 1_000) {
                now += 1_000;
                heartbeats.add(diagnostics.getProgress());
            }
            end(job, JobStatus.FINISHED);
            afterJob.add(diagnostics.getProgress());
        }
        return afterJob;
    }

    private JobID submit(LivingPriority priority) {
        JobID job = new JobID();
        tracker.jobSubmitted(job, priority);
        publish();
        return job;
    }

    private void end(JobID job, JobStatus status) {
        tracker.jobTerminated(job, status);
        publish();
    }

    private void publish() {
        diagnostics.updateProgress(recorder.observe(tracker));
    }

    private static long distinct(List<Double> values) {
        return values.stream().distinct().count();
    }
}
