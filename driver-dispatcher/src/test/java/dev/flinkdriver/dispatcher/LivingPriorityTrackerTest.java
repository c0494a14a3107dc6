package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class LivingPriorityTrackerTest {

    private final JobID driver = new JobID();
    private final JobID normal = new JobID();
    private final JobID daemon = new JobID();
    private final LivingPriorityTracker tracker = new LivingPriorityTracker(driver);

    /**
     * Rows: driver status (null = running), NORMAL status (null = running), expected outcome (null
     * = undecided), expected jobs to cancel.
     */
    static Stream<Arguments> decisions() {
        return Stream.of(
                row(null, null, null, ""),
                row(null, JobStatus.FINISHED, null, ""),
                row(null, JobStatus.FAILED, null, ""),
                row(JobStatus.FINISHED, null, null, ""),
                row(JobStatus.FINISHED, JobStatus.FINISHED, ApplicationOutcome.SUCCEEDED, "D"),
                row(JobStatus.FINISHED, JobStatus.FAILED, ApplicationOutcome.SUCCEEDED, "D"),
                row(JobStatus.FINISHED, JobStatus.CANCELED, ApplicationOutcome.SUCCEEDED, "D"),
                row(JobStatus.FAILED, null, ApplicationOutcome.FAILED, "ND"),
                row(JobStatus.FAILED, JobStatus.FINISHED, ApplicationOutcome.FAILED, "D"),
                row(JobStatus.CANCELED, null, ApplicationOutcome.CANCELED, "ND"),
                row(JobStatus.CANCELED, JobStatus.FINISHED, ApplicationOutcome.CANCELED, "D"));
    }

    private static Arguments row(
            JobStatus driverStatus,
            JobStatus normalStatus,
            ApplicationOutcome outcome,
            String toCancel) {
        return Arguments.of(driverStatus, normalStatus, outcome, toCancel);
    }

    @ParameterizedTest(name = "driver {0}, normal {1} -> {2}, cancel {3}")
    @MethodSource("decisions")
    void decidesFromDriverAndNormalJobs(
            JobStatus driverStatus,
            JobStatus normalStatus,
            ApplicationOutcome expectedOutcome,
            String expectedToCancel) {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        if (normalStatus != null) {
            tracker.jobTerminated(normal, normalStatus);
        }
        if (driverStatus != null) {
            tracker.jobTerminated(driver, driverStatus);
        }

        assertThat(tracker.getOutcome()).isEqualTo(java.util.Optional.ofNullable(expectedOutcome));
        List<JobID> expected = new ArrayList<>();
        if (expectedToCancel.contains("N")) {
            expected.add(normal);
        }
        if (expectedToCancel.contains("D")) {
            expected.add(daemon);
        }
        assertThat(tracker.takeJobsToCancel()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tracker.isReadyToShutDown()).isFalse();
    }

    @Test
    void shutsDownOnceCancelledDaemonsAreTerminal() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        tracker.jobTerminated(driver, JobStatus.FINISHED);
        tracker.jobTerminated(normal, JobStatus.FINISHED);

        assertThat(tracker.takeJobsToCancel()).containsExactly(daemon);
        assertThat(tracker.takeJobsToCancel()).as("handed out once").isEmpty();
        assertThat(tracker.isReadyToShutDown()).isFalse();

        tracker.jobTerminated(daemon, JobStatus.CANCELED);
        assertThat(tracker.isReadyToShutDown()).isTrue();
        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(1, 0, 1));
    }

    @Test
    void driverAloneEndsAtOnce() {
        tracker.jobTerminated(driver, JobStatus.FINISHED);

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.takeJobsToCancel()).isEmpty();
        assertThat(tracker.isReadyToShutDown()).isTrue();
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(0, 0, 0));
    }

    @Test
    void outcomeIsFixedOnceDecided() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobTerminated(driver, JobStatus.FAILED);
        tracker.applicationCancelled();
        tracker.jobTerminated(normal, JobStatus.CANCELED);

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.FAILED);
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(0, 0, 1));
    }

    @Test
    void cancellingTheApplicationCancelsEverything() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.applicationCancelled();

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.CANCELED);
        assertThat(tracker.takeJobsToCancel()).containsExactlyInAnyOrder(driver, normal);

        tracker.jobTerminated(driver, JobStatus.CANCELED);
        tracker.jobTerminated(normal, JobStatus.CANCELED);
        assertThat(tracker.isReadyToShutDown()).isTrue();
    }

    @Test
    void rejectedSubmissionIsForgotten() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobTerminated(driver, JobStatus.FINISHED);
        assertThat(tracker.getOutcome()).isEmpty();

        tracker.jobSubmissionFailed(normal);

        assertThat(tracker.isTracked(normal)).isFalse();
        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.isReadyToShutDown()).isTrue();
    }

    @Test
    void failingTheApplicationWhileTheDriverRunsCancelsEverythingAndEndsFailed() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);

        IllegalStateException brokenRule = new IllegalStateException("another job at #2");
        tracker.applicationFailed(brokenRule);
        tracker.jobTerminated(driver, JobStatus.FINISHED);

        assertThat(tracker.getOutcome())
                .as("a broken rule wins over the driver's own end")
                .contains(ApplicationOutcome.FAILED);
        assertThat(tracker.getFailureCause()).isSameAs(brokenRule);
        assertThat(tracker.takeJobsToCancel()).containsExactlyInAnyOrder(normal, daemon);
        tracker.jobTerminated(normal, JobStatus.CANCELED);
        assertThat(tracker.isReadyToShutDown()).isFalse();
        tracker.jobTerminated(daemon, JobStatus.CANCELED);
        assertThat(tracker.isReadyToShutDown()).isTrue();
    }

    @Test
    void aSupersededJobNeitherKeepsTheApplicationAliveNorCounts() {
        JobID rerun = new JobID();
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(rerun, LivingPriority.NORMAL);

        tracker.jobSuperseded(normal);
        tracker.jobTerminated(normal, JobStatus.CANCELED); // the old run, cancelled: ignored
        tracker.jobTerminated(rerun, JobStatus.FINISHED);
        tracker.jobTerminated(driver, JobStatus.FINISHED);

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(1, 0, 0));
        assertThat(tracker.isReadyToShutDown()).isTrue();
        assertThatThrownBy(() -> tracker.jobSuperseded(driver))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectedDriverSubmissionFailsTheApplication() {
        tracker.jobSubmissionFailed(driver);

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.FAILED);
        assertThat(tracker.isReadyToShutDown()).isTrue();
    }

    @Test
    void theFirstFailureIsTheCauseAndOnlyOfAFailedApplication() {
        RuntimeException first = new RuntimeException("main() threw");
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobTerminated(normal, JobStatus.FAILED, new RuntimeException("not the driver"));
        assertThat(tracker.getFailureCause()).as("undecided").isNull();

        tracker.jobTerminated(driver, JobStatus.FAILED, first);
        tracker.jobTerminated(driver, JobStatus.FAILED, new RuntimeException("reported again"));

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.FAILED);
        assertThat(tracker.getFailureCause()).isSameAs(first);
    }

    @Test
    void aCancelledApplicationHasNoFailureCause() {
        tracker.applicationCancelled();
        tracker.jobTerminated(driver, JobStatus.FAILED, new RuntimeException("cancelled"));

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.CANCELED);
        assertThat(tracker.getFailureCause()).isNull();
    }

    @Test
    void aDriverJobThatCouldNotBePreparedFailsTheApplicationOnce() {
        RuntimeException noJar = new RuntimeException("no jar");

        assertThat(tracker.driverJobPreparationFailed(noJar)).isTrue();
        assertThat(tracker.driverJobPreparationFailed(new RuntimeException("again"))).isFalse();
        assertThat(tracker.driverJobSubmitted()).as("it never is any more").isFalse();

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.FAILED);
        assertThat(tracker.getFailureCause()).isSameAs(noJar);
        assertThat(tracker.isReadyToShutDown()).isTrue();
    }

    @Test
    void aPreparationFailureAfterTheSubmissionChangesNothing() {
        assertThat(tracker.driverJobSubmitted()).isTrue();
        assertThat(tracker.driverJobSubmitted()).as("a duplicate").isFalse();

        assertThat(tracker.driverJobPreparationFailed(new RuntimeException())).isFalse();
        assertThat(tracker.getOutcome()).isEmpty();
    }

    @Test
    void aDriverJobNotSubmittedYetIsWithdrawnNotCancelled() {
        tracker.applicationCancelled();
        assertThat(tracker.takeJobsToCancel()).containsExactly(driver);

        assertThat(tracker.withdrawDriverJob()).isTrue();

        assertThat(tracker.isTerminal(driver)).isTrue();
        assertThat(tracker.isReadyToShutDown()).isTrue();
        assertThat(tracker.driverJobSubmitted()).as("submissions are refused now").isFalse();
    }

    @Test
    void aSubmittedDriverJobMustBeCancelled() {
        tracker.driverJobSubmitted();
        tracker.applicationCancelled();

        assertThat(tracker.withdrawDriverJob()).isFalse();
        assertThat(tracker.isReadyToShutDown()).isFalse();
    }

    @Test
    void theShutDownStartsOnceAndOnlyWhenEverythingEnded() {
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        tracker.jobTerminated(driver, JobStatus.FINISHED);
        assertThat(tracker.startShutDown()).as("the DAEMON job still runs").isFalse();
        assertThat(tracker.isShuttingDown()).isFalse();

        tracker.jobTerminated(daemon, JobStatus.CANCELED);

        assertThat(tracker.startShutDown()).isTrue();
        assertThat(tracker.isShuttingDown()).isTrue();
        assertThat(tracker.startShutDown()).isFalse();
    }

    @Test
    void countsOnlyTheJobsMainSubmitted() {
        JobID failed = new JobID();
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(failed, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        tracker.jobTerminated(normal, JobStatus.FINISHED);
        tracker.jobTerminated(failed, JobStatus.FAILED);
        tracker.jobTerminated(daemon, JobStatus.CANCELED);
        tracker.jobTerminated(driver, JobStatus.FAILED);

        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(1, 1, 1));
    }

    @Test
    void onlyTheDriverJobIsDriver() {
        assertThatThrownBy(() -> tracker.jobSubmitted(normal, LivingPriority.DRIVER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.jobSubmitted(driver, LivingPriority.NORMAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsTheNormalJobsAndWhetherMoreMayCome() {
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        JobID second = new JobID();
        tracker.jobSubmitted(second, LivingPriority.NORMAL);
        tracker.jobTerminated(normal, JobStatus.FINISHED);

        assertThat(tracker.normalJobsEnded())
                .containsExactly(entry(normal, true), entry(second, false));
        assertThat(tracker.mayStillSubmit()).isTrue();

        tracker.jobTerminated(driver, JobStatus.FINISHED);
        assertThat(tracker.mayStillSubmit()).as("main() returned").isFalse();
    }

    @Test
    void aCancelledApplicationTakesNoMoreWork() {
        tracker.applicationCancelled();

        assertThat(tracker.mayStillSubmit()).isFalse();
    }

    @Test
    void whileAStopRunsJobEndsDecideNothingAndTheStopEndsTheApplicationSucceeded() {
        tracker.driverJobSubmitted();
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);

        assertThat(tracker.stopRequested()).isEmpty();
        assertThat(tracker.isStopping()).isTrue();
        // The stopped NORMAL job ends, then main() fails on what it does next.
        tracker.jobTerminated(normal, JobStatus.FINISHED);
        tracker.jobTerminated(driver, JobStatus.FAILED, new IllegalStateException("after"));
        assertThat(tracker.getOutcome()).as("nothing decided while stopping").isEmpty();
        assertThat(tracker.takeJobsToCancel()).as("the DAEMON job is being stopped").isEmpty();

        tracker.jobTerminated(daemon, JobStatus.FINISHED);
        tracker.stopCompleted("file:/sp/application-savepoint-1");

        assertThat(tracker.getOutcome()).hasValue(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.getFailureCause()).isNull();
        assertThat(tracker.getStoppedWith()).hasValue("file:/sp/application-savepoint-1");
        assertThat(tracker.isReadyToShutDown()).isTrue();
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(2, 0, 0));
    }

    @Test
    void aStoppedApplicationCancelsItsRunningDriver() {
        tracker.driverJobSubmitted();
        tracker.jobSubmitted(normal, LivingPriority.NORMAL);
        tracker.stopRequested();
        tracker.jobTerminated(normal, JobStatus.FINISHED);

        tracker.stopCompleted("file:/sp/a");

        assertThat(tracker.getOutcome()).hasValue(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.takeJobsToCancel()).containsExactly(driver);
    }

    @Test
    void aStopIsRefusedWhileTheApplicationEndsOrIsStoppedAlready() {
        tracker.driverJobSubmitted();
        assertThat(tracker.stopRequested()).isEmpty();
        assertThat(tracker.stopRequested()).hasValue("it is being stopped already");

        LivingPriorityTracker ending = new LivingPriorityTracker(driver);
        ending.applicationCancelled();
        assertThat(ending.stopRequested()).hasValue("it is ending (CANCELED)");
        assertThat(ending.isStopping()).isFalse();
    }

    @Test
    void aFailedStopLetsTheApplicationDecideAgain() {
        tracker.driverJobSubmitted();
        tracker.jobSubmitted(daemon, LivingPriority.DAEMON);
        tracker.stopRequested();
        tracker.jobTerminated(driver, JobStatus.FINISHED);
        assertThat(tracker.getOutcome()).isEmpty();

        tracker.stopFailed();

        assertThat(tracker.isStopping()).isFalse();
        assertThat(tracker.getOutcome()).hasValue(ApplicationOutcome.SUCCEEDED);
        assertThat(tracker.getStoppedWith()).isEmpty();
        assertThat(tracker.takeJobsToCancel()).containsExactly(daemon);
    }
}
