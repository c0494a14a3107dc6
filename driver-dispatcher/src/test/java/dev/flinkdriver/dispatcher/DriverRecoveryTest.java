package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.api.DriverJobMarkers;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.graph.ExecutionPlan;
import org.apache.flink.util.SerializedThrowable;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class DriverRecoveryTest {

    private final ApplicationID app = new ApplicationID();
    private final JobID driver = JobID.fromHexString(app.toHexString());

    @Test
    void aFirstStartRecoversNothing() {
        DriverRecovery recovery = DriverRecovery.none(app, driver);
        assertThat(recovery.isRecovery()).isFalse();
        assertThat(recovery.hasDriverJob()).isFalse();
    }

    @Test
    void sortsTheApplicationsRunningAndEndedJobsAndIgnoresOthers() {
        JobGraph driverPlan = plan(driver, app);
        JobGraph job3 = plan(DriverJobIds.ofPosition(app, 3), app);
        JobGraph foreign = plan(new JobID(), new ApplicationID());
        JobResult job1 = result(DriverJobIds.ofPosition(app, 1), app, "app: job-1");
        JobResult job2 = result(DriverJobIds.ofRerun(app, 2, 1), app, "app: job-2");
        JobResult foreignResult = result(new JobID(), new ApplicationID(), "other");

        DriverRecovery recovery =
                new DriverRecovery(
                        app,
                        driver,
                        2,
                        1,
                        List.of(driverPlan, job3, foreign),
                        List.of(job1, job2, foreignResult));

        assertThat(recovery.isRecovery()).isTrue();
        assertThat(recovery.isDriverSuspended()).isTrue();
        assertThat(recovery.hasDriverJob()).isTrue();
        assertThat(recovery.suspendedUserJobs()).containsExactly(job3);
        assertThat(recovery.endedUserJobs()).containsExactly(job1, job2);
        assertThat(recovery.positionOf(job1)).isEqualTo(OptionalInt.of(1));
        assertThat(recovery.positionOf(job2)).isEqualTo(OptionalInt.of(2));
        assertThat(recovery.resultOf(job1.getJobId())).containsSame(job1);
        assertThat(recovery.resultOf(foreignResult.getJobId())).isEmpty();
    }

    @Test
    void anEndedDriverIsNotSubmittedAgain() {
        DriverRecovery recovery =
                new DriverRecovery(
                        app, driver, 2, 1, List.of(), List.of(result(driver, app, "driver")));
        assertThat(recovery.isDriverSuspended()).isFalse();
        assertThat(recovery.driverResult()).isPresent();
        assertThat(recovery.hasDriverJob()).isTrue();
        assertThat(recovery.endedUserJobs()).isEmpty();
    }

    @Test
    void aJobIdOfAnotherOriginHasNoPosition() {
        assertThat(DriverJobIds.positionOf(app, new JobID())).isEmpty();
        assertThat(DriverJobIds.positionOf(app, driver)).isEmpty();
        assertThat(DriverJobIds.positionOf(new ApplicationID(), DriverJobIds.ofPosition(app, 42)))
                .as("another application's")
                .isEmpty();
        assertThat(DriverJobIds.positionOf(app, DriverJobIds.ofPosition(app, 42)))
                .isEqualTo(OptionalInt.of(42));
    }

    @Test
    void thePositionIsReadFromTheIdWhateverTheAttemptsAndLeaderships() {
        // Beyond what a search could afford: 10,000 positions, 5 leaderships, 20 driver attempts.
        JobID late = DriverJobIds.ofRerun(app, 123_456, 3, 40, 30);
        DriverRecovery recovery =
                new DriverRecovery(
                        app,
                        driver,
                        3,
                        1,
                        List.of(),
                        List.of(
                                result(late, app, "app: collect"),
                                result(DriverJobIds.ofPosition(app, 20_000), app, "app: job")));

        assertThat(recovery.endedUserJobs())
                .extracting(recovery::positionOf)
                .containsExactly(OptionalInt.of(123_456), OptionalInt.of(20_000));
        assertThat(DriverJobIds.positionOf(app, DriverJobIds.ofRerun(app, 7, 256, 1, 0)))
                .as("a JobManager attempt an id cannot hold: the position is lost, not another's")
                .isEmpty();
    }

    @Test
    void aRerunUnderARegainedLeadershipGetsAnIdOfItsOwnAndItsPositionIsFound() {
        // The same JobManager lost its ZooKeeper session and leads again: driver attempts count
        // from 0 again under its new dispatcher.
        JobID firstLeadership = DriverJobIds.ofRerun(app, 2, 1, 1, 0);
        JobID secondLeadership = DriverJobIds.ofRerun(app, 2, 1, 2, 0);
        assertThat(secondLeadership).isNotEqualTo(firstLeadership);
        assertThat(firstLeadership).isEqualTo(DriverJobIds.ofRerun(app, 2, 0));
        assertThat(DriverJobIds.ofRerun(app, 2, 2, 1, 0))
                .as("the first leadership's ids are JobManager failover's")
                .isEqualTo(DriverJobIds.ofRerun(app, 2, 2, 0));

        DriverRecovery recovery =
                new DriverRecovery(
                        app,
                        driver,
                        1,
                        3,
                        List.of(),
                        List.of(result(secondLeadership, app, "app: job-2")));
        assertThat(recovery.positionOf(recovery.endedUserJobs().get(0)))
                .isEqualTo(OptionalInt.of(2));
    }

    @Test
    void aRerunUnderANewJobManagerGetsAnIdOfItsOwn() {
        // Driver attempts count from 0 again under the second JobManager.
        JobID firstJobManager = DriverJobIds.ofRerun(app, 2, 1, 0);
        JobID secondJobManager = DriverJobIds.ofRerun(app, 2, 2, 0);
        assertThat(secondJobManager).isNotEqualTo(firstJobManager);
        assertThat(firstJobManager)
                .as("the first JobManager's ids are driver failover's")
                .isEqualTo(DriverJobIds.ofRerun(app, 2, 0));
        assertThat(DriverJobIds.positionOf(app, secondJobManager)).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void replaysTheJobsThatRanAndTheJobsThatEndedAndRecoversTheRunningOnes() {
        JobGraph driverPlan = plan(driver, app);
        JobGraph job3 = plan(DriverJobIds.ofPosition(app, 3), app);
        DriverJobMarkers.markSubmittedJob(job3.getJobConfiguration(), app, 3, false);
        JobResult job1 = result(DriverJobIds.ofPosition(app, 1), app, "app: job-1");
        DriverRecovery recovery =
                new DriverRecovery(app, driver, 2, 1, List.of(job3, driverPlan), List.of(job1));
        LivingPriorityTracker tracker = new LivingPriorityTracker(driver);
        DriverJobPositions positions = new DriverJobPositions();

        List<ExecutionPlan> toRecover = recovery.replayInto(tracker, positions);

        assertThat(toRecover).as("the driver job last").containsExactly(job3, driverPlan);
        assertThat(tracker.driverJobSubmitted()).as("the driver job is recovered").isFalse();
        assertThat(tracker.isTerminal(job1.getJobId())).isTrue();
        assertThat(tracker.isTracked(job3.getJobID())).isTrue();
        assertThat(tracker.getJobCounts()).isEqualTo(new JobCounts(1, 0, 0));
        assertThat(positions.submitted(1, job1.getJobId(), "app: job-1").answer())
                .as("the restarted main()'s first job is the ended one")
                .isEqualTo(DriverJobPositions.Answer.ATTACH);
        assertThat(positions.submitted(3, job3.getJobID(), job3.getName()).answer())
                .isEqualTo(DriverJobPositions.Answer.ATTACH);
    }

    @Test
    void aDriverThatHadFailedEndsTheApplicationWithItsCauseOnceTheJobsAreKnown() {
        JobGraph job2 = plan(DriverJobIds.ofPosition(app, 2), app);
        JobResult failedDriver =
                new JobResult.Builder()
                        .jobId(driver)
                        .applicationId(app)
                        .jobName("driver")
                        .jobStatus(JobStatus.FAILED)
                        .serializedThrowable(
                                new SerializedThrowable(new IllegalStateException("boom")))
                        .netRuntime(1)
                        .build();
        DriverRecovery recovery =
                new DriverRecovery(app, driver, 2, 1, List.of(job2), List.of(failedDriver));
        LivingPriorityTracker tracker = new LivingPriorityTracker(driver);

        assertThat(recovery.replayInto(tracker, new DriverJobPositions())).containsExactly(job2);

        assertThat(tracker.getOutcome()).contains(ApplicationOutcome.FAILED);
        assertThat(DriverSummary.describe(tracker.getFailureCause()))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(tracker.takeJobsToCancel())
                .as("the job that still ran is cancelled once recovered")
                .containsExactly(job2.getJobID());
    }

    @Test
    void aFirstStartReplaysNothing() {
        LivingPriorityTracker tracker = new LivingPriorityTracker(driver);

        assertThat(DriverRecovery.none(app, driver).replayInto(tracker, new DriverJobPositions()))
                .isEmpty();
        assertThat(tracker.driverJobSubmitted()).isTrue();
    }

    private static JobGraph plan(JobID id, ApplicationID app) {
        JobGraph graph = new JobGraph(id, app, "plan " + id);
        return graph;
    }

    private static JobResult result(JobID id, ApplicationID app, String name) {
        return new JobResult.Builder()
                .jobId(id)
                .applicationId(app)
                .jobName(name)
                .jobStatus(JobStatus.FINISHED)
                .netRuntime(1)
                .build();
    }
}
