package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.ApplicationSavepoint;
import dev.flinkdriver.api.DispatcherEndpoint;
import dev.flinkdriver.api.DriverApplicationNames;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.failure.FailureEnricher;
import org.apache.flink.runtime.application.SingleJobApplication;
import org.apache.flink.runtime.blob.BlobServer;
import org.apache.flink.runtime.blob.VoidBlobStore;
import org.apache.flink.runtime.checkpoint.StandaloneCheckpointRecoveryFactory;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.dispatcher.DispatcherServices;
import org.apache.flink.runtime.dispatcher.JobManagerRunnerFactory;
import org.apache.flink.runtime.dispatcher.PartialDispatcherServicesWithPersistenceComponents;
import org.apache.flink.runtime.dispatcher.TestingPartialDispatcherServices;
import org.apache.flink.runtime.dispatcher.TriggerSavepointMode;
import org.apache.flink.runtime.dispatcher.cleanup.CheckpointResourcesCleanupRunnerFactory;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.executiongraph.JobStatusListener;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.highavailability.EmbeddedApplicationResultStore;
import org.apache.flink.runtime.highavailability.HighAvailabilityServices;
import org.apache.flink.runtime.highavailability.JobResultEntry;
import org.apache.flink.runtime.highavailability.TestingHighAvailabilityServices;
import org.apache.flink.runtime.highavailability.nonha.embedded.EmbeddedJobResultStore;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.runtime.jobmanager.StandaloneApplicationStore;
import org.apache.flink.runtime.jobmanager.StandaloneExecutionPlanStore;
import org.apache.flink.runtime.jobmaster.JobManagerRunner;
import org.apache.flink.runtime.jobmaster.JobManagerRunnerResult;
import org.apache.flink.runtime.jobmaster.JobManagerSharedServices;
import org.apache.flink.runtime.jobmaster.JobMasterGateway;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.jobmaster.factories.JobManagerJobMetricGroupFactory;
import org.apache.flink.runtime.jobmaster.utils.TestingJobMasterGatewayBuilder;
import org.apache.flink.runtime.leaderretrieval.SettableLeaderRetrievalService;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.runtime.rest.handler.async.OperationResult;
import org.apache.flink.runtime.rest.handler.async.OperationResultStatus;
import org.apache.flink.runtime.rest.handler.job.AsynchronousJobOperationKey;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.runtime.rpc.TestingRpcService;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.runtime.testtasks.NoOpInvokable;
import org.apache.flink.runtime.util.TestingFatalErrorHandler;
import org.apache.flink.streaming.api.graph.ExecutionPlan;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.SerializedValue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.annotation.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the real {@link DriverDispatcher}, Flink's dispatcher included, in-process the way Flink's
 * own dispatcher tests do: real RPC, blob server and HA stores, with the JobMasters replaced by
 * jobs that run until the test ends or the dispatcher cancels them. What is asserted is what a user
 * sees: which jobs run and are cancelled, the final status and the diagnostics YARN shows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriverDispatcherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final ApplicationID APP = new ApplicationID();

    private static final JobID DRIVER = DriverDispatcherFactory.driverJobId(APP);

    private static final String NAME = DriverApplicationNames.of("com.acme.Main");

    private static TestingRpcService rpcService;

    @TempDir Path temp;

    private final TestingFatalErrorHandler fatalErrors = new TestingFatalErrorHandler();

    private final Jobs jobs = new Jobs();

    private final DriverDiagnostics diagnostics = new DriverDiagnostics();

    private TestingHighAvailabilityServices haServices;

    private BlobServer blobServer;

    private DriverDispatcher dispatcher;

    @BeforeAll
    static void startRpcService() {
        rpcService = new TestingRpcService();
    }

    @AfterAll
    static void stopRpcService() throws Exception {
        RpcUtils.terminateRpcService(rpcService);
    }

    @BeforeEach
    void startServices() throws Exception {
        haServices = new TestingHighAvailabilityServices();
        haServices.setCheckpointRecoveryFactory(new StandaloneCheckpointRecoveryFactory());
        haServices.setResourceManagerLeaderRetriever(new SettableLeaderRetrievalService());
        haServices.setExecutionPlanStore(new StandaloneExecutionPlanStore());
        haServices.setJobResultStore(new EmbeddedJobResultStore());
        haServices.setApplicationStore(new StandaloneApplicationStore());
        haServices.setApplicationResultStore(new EmbeddedApplicationResultStore());
        blobServer =
                new BlobServer(
                        new Configuration(),
                        Files.createDirectory(temp.resolve("blobs")).toFile(),
                        new VoidBlobStore());
        blobServer.start();
    }

    @AfterEach
    void stopServices() throws Exception {
        if (dispatcher != null) {
            dispatcher.closeAsync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        blobServer.close();
        haServices.closeWithOptionalClean(true);
        fatalErrors.rethrowError();
    }

    // ------------------------------------------------------------------------
    //  Submissions and the end of the driver
    // ------------------------------------------------------------------------

    @Test
    void runsTheDriverJobAndItsJobsAndEndsAfterTheNormalOnesCancellingTheDaemon() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        assertThat(DriverJobMarkers.dispatcher(driver.plan.getJobConfiguration()))
                .as("the driver submits main()'s jobs to the dispatcher that runs it")
                .contains(new DispatcherEndpoint(dispatcher.getAddress(), fencingToken()));
        assertThat(driver.plan.getName()).isEqualTo(NAME);

        RunningJob normal = submit(userJob(1, "load", LivingPriority.NORMAL));
        RunningJob daemon = submit(userJob(2, "monitor", LivingPriority.DAEMON));
        assertThat(diagnostics.getProgress()).as("no job has ended").isLessThan(0.01);

        driver.end(JobStatus.FINISHED, null);
        awaitTerminal(DRIVER);
        assertThat(dispatcher.getShutDownFuture())
                .as("main() returned, but its NORMAL job still runs")
                .isNotDone();
        assertThat(daemon.cancelled).isFalse();
        assertThat(diagnostics.getDiagnostics()).isNull();

        normal.end(JobStatus.FINISHED, null);

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.SUCCEEDED);
        assertThat(daemon.cancelled).as("the DAEMON job keeps nothing alive").isTrue();
        assertThat(normal.cancelled).isFalse();
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 1 jobs finished, 0 failed,"
                                + " 1 cancelled, driver restarted 0 times");
        assertThat(diagnostics.getProgress()).isEqualTo(1.0);
    }

    @Test
    void overRestAMarkedJobJoinsTheDriverApplicationAndAnyOtherJobIsADaemon() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        // The REST handler wraps every job into an application of its own.
        JobGraph marked = userJob(1, "load", LivingPriority.NORMAL);
        gateway()
                .submitApplication(new SingleJobApplication(marked), TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JobGraph foreign = new JobGraph(new JobID(), null, "somebody else's job");
        gateway()
                .submitApplication(new SingleJobApplication(foreign), TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        RunningJob load = jobs.await(marked.getJobID());
        RunningJob other = jobs.await(foreign.getJobID());
        assertThat(load.plan.getApplicationId()).contains(APP);

        driver.end(JobStatus.FINISHED, null);
        awaitTerminal(DRIVER);
        assertThat(dispatcher.getShutDownFuture())
                .as("main()'s NORMAL job keeps the application alive")
                .isNotDone();
        load.end(JobStatus.FINISHED, null);

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.SUCCEEDED);
        assertThat(other.cancelled)
                .as("a job of another application must not keep the cluster alive")
                .isTrue();
        assertThat(load.cancelled).isFalse();
    }

    @Test
    void aFailingDriverCancelsEveryJobAndFailsTheApplicationWithItsCause() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob first = submit(userJob(1, "first", LivingPriority.NORMAL));
        RunningJob second = submit(userJob(2, "second", LivingPriority.NORMAL));
        first.end(JobStatus.FINISHED, null);

        driver.end(JobStatus.FAILED, new IllegalStateException("main() threw"));

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.FAILED);
        assertThat(second.cancelled).isTrue();
        assertThat(first.cancelled).as("it had ended already").isFalse();
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application FAILED: 1 jobs finished, 0 failed, 1"
                                + " cancelled, driver restarted 0 times Cause:"
                                + " java.lang.IllegalStateException: main() threw");
    }

    @Test
    void aFailureTheResourceManagerRequestsCancelsEveryJobAndFailsTheApplication()
            throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob waiting = submit(userJob(1, "waits for slots", LivingPriority.NORMAL));

        // From the resource manager's thread, as when YARN's queue grants no TaskManager.
        diagnostics.failureRequests().request(new IllegalStateException("queue 'small' is full"));

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.FAILED);
        assertThat(driver.cancelled).isTrue();
        assertThat(waiting.cancelled).isTrue();
        assertThat(diagnostics.getDiagnostics())
                .endsWith("Cause: java.lang.IllegalStateException: queue 'small' is full");
    }

    @Test
    void anEndingApplicationTakesNoNewJobs() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob normal = submit(userJob(1, "first", LivingPriority.NORMAL));
        driver.end(JobStatus.FAILED, new IllegalStateException("main() threw"));
        awaitTerminal(DRIVER);

        CompletableFuture<Acknowledge> late =
                gateway().submitJob(userJob(2, "late", LivingPriority.NORMAL), TIMEOUT);

        assertThat(late)
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .withMessageContaining("is ending (FAILED): it takes no new jobs");
        assertThat(jobs.started).doesNotContain(DriverJobIds.ofPosition(APP, 2));
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.FAILED);
        assertThat(normal.cancelled).isTrue();
    }

    @Test
    void aRestartedDriverTakingAnotherPathFailsTheApplication() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob load = submit(userJob(1, "load", LivingPriority.NORMAL));

        // Position 1 again, under another name: main() does not submit what it did before.
        JobGraph other = userJob(1, "something else", LivingPriority.NORMAL);
        assertThat(gateway().submitJob(other, TIMEOUT)).failsWithin(TIMEOUT);

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.FAILED);
        assertThat(List.of(driver.cancelled, load.cancelled)).containsOnly(true);
        assertThat(diagnostics.getDiagnostics())
                .startsWith("flink-driver: application FAILED: 0 jobs finished, 0 failed, 1")
                .contains(
                        "Cause: java.lang.IllegalStateException: The restarted driver submitted"
                                + " '"
                                + other.getName()
                                + "' as job #1");
    }

    // ------------------------------------------------------------------------
    //  Cancel
    // ------------------------------------------------------------------------

    @Test
    void cancellingTheApplicationCancelsEveryJobAndEndsCanceled() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob normal = submit(userJob(1, "load", LivingPriority.NORMAL));
        RunningJob daemon = submit(userJob(2, "monitor", LivingPriority.DAEMON));

        gateway().cancelApplication(APP, TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        // YARN reports a CANCELED application as KILLED.
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.CANCELED);
        assertThat(List.of(driver.cancelled, normal.cancelled, daemon.cancelled))
                .containsOnly(true);
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application CANCELED: 0 jobs finished, 0 failed,"
                                + " 2 cancelled, driver restarted 0 times");
    }

    @Test
    void aCancelledDriverJobTakesNoNewJobFromTheCancelOn() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        // Its task takes a while to stop: main() runs on meanwhile.
        driver.holdCancellation();
        RunningJob normal = submit(userJob(1, "first", LivingPriority.NORMAL));

        // What flink-driver cancel sends over REST.
        gateway().cancelJob(DRIVER, TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Acknowledge> late =
                gateway().submitJob(userJob(2, "late", LivingPriority.NORMAL), TIMEOUT);

        assertThat(late)
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .withMessageContaining("is ending (CANCELED): it takes no new jobs");
        assertThat(jobs.started).doesNotContain(DriverJobIds.ofPosition(APP, 2));
        assertThat(driver.cancelled).isTrue();
        assertThat(normal.cancelled).isTrue();
        assertThat(dispatcher.getShutDownFuture()).as("the driver still stops").isNotDone();

        driver.end(JobStatus.CANCELED, null);
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.CANCELED);
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application CANCELED: 0 jobs finished, 0 failed,"
                                + " 1 cancelled, driver restarted 0 times");
    }

    @Test
    void cancellingADriverJobThatEndedCancelsNothing() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob normal = submit(userJob(1, "load", LivingPriority.NORMAL));
        driver.end(JobStatus.FINISHED, null);
        awaitTerminal(DRIVER);

        assertThat(gateway().cancelJob(DRIVER, TIMEOUT)).failsWithin(TIMEOUT);

        assertThat(normal.cancelled).isFalse();
        normal.end(JobStatus.FINISHED, null);
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.SUCCEEDED);
    }

    // ------------------------------------------------------------------------
    //  JobManager failover
    // ------------------------------------------------------------------------

    @Test
    void aNewJobManagerAnswersEndedJobsFromTheirResultsAndAttachesTheRestartedMainsJobs()
            throws Exception {
        JobGraph driverPlan = new JobGraph(DRIVER, APP, NAME);
        DriverJobMarkers.markDriverJob(
                driverPlan.getJobConfiguration(),
                new DispatcherEndpoint("pekko://flink/user/rpc/lost", DispatcherId.generate()),
                1);
        JobGraph running = userJob(2, "aggregate", LivingPriority.NORMAL);
        JobResult ended =
                new JobResult.Builder()
                        .jobId(DriverJobIds.ofPosition(APP, 1))
                        .applicationId(APP)
                        .jobName(userJob(1, "load", LivingPriority.NORMAL).getName())
                        .jobStatus(JobStatus.FINISHED)
                        .accumulatorResults(
                                Map.of("rows", new SerializedValue<>(OptionalFailure.of(42L))))
                        .netRuntime(1)
                        .build();
        haServices.getJobResultStore().createDirtyResultAsync(new JobResultEntry(ended)).get();

        start(List.of(driverPlan, running), List.of(ended), 2);

        RunningJob driver = jobs.await(DRIVER);
        RunningJob aggregate = jobs.await(running.getJobID());
        assertThat(DriverJobMarkers.dispatcher(driver.plan.getJobConfiguration()))
                .as("the recovered driver submits to the new leader")
                .contains(new DispatcherEndpoint(dispatcher.getAddress(), fencingToken()));
        assertThat(DriverJobMarkers.jobManagerAttempt(driver.plan.getJobConfiguration()))
                .isEqualTo(2);

        // The restarted main() submits its jobs again, in the same order.
        gateway()
                .submitJob(userJob(1, "load", LivingPriority.NORMAL), TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        gateway()
                .submitJob(userJob(2, "aggregate", LivingPriority.NORMAL), TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JobResult answer =
                gateway()
                        .requestJobResult(ended.getJobId(), TIMEOUT)
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(jobs.started)
                .as("nothing runs twice: the ended job is answered, the running one attached")
                .containsExactlyInAnyOrder(DRIVER, running.getJobID());
        assertThat(answer.getJobStatus()).contains(JobStatus.FINISHED);
        assertThat(answer.getAccumulatorResults()).containsKey("rows");

        driver.end(JobStatus.FINISHED, null);
        aggregate.end(JobStatus.FINISHED, null);

        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.SUCCEEDED);
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 2 jobs finished, 0 failed,"
                                + " 0 cancelled, driver restarted 0 times, JobManager failed"
                                + " over 1 time");
    }

    @Test
    void aJobManagerThatRegainedLeadershipRunsTheRestartedMainsCollectingJobUnderANewId()
            throws Exception {
        // The same JobManager (YARN attempt 1) lost its ZooKeeper session and leads again: its
        // new dispatcher recovers what the first one ran.
        JobGraph driverPlan = new JobGraph(DRIVER, APP, NAME);
        DriverJobMarkers.markDriverJob(
                driverPlan.getJobConfiguration(),
                new DispatcherEndpoint(
                        "pekko://flink/user/rpc/dispatcher_0", DispatcherId.generate()),
                1,
                1);
        JobID firstCollect = DriverJobIds.ofRerun(APP, 1, 1, 1, 0);
        JobResult collected =
                new JobResult.Builder()
                        .jobId(firstCollect)
                        .applicationId(APP)
                        .jobName(NAME + ": collect")
                        .jobStatus(JobStatus.FINISHED)
                        .netRuntime(1)
                        .build();
        haServices.getJobResultStore().createDirtyResultAsync(new JobResultEntry(collected)).get();

        start(List.of(driverPlan), List.of(collected), 1, 2);

        RunningJob driver = jobs.await(DRIVER);
        assertThat(DriverJobMarkers.dispatcher(driver.plan.getJobConfiguration()))
                .as("the recovered driver submits to the new leader, under its fencing token")
                .contains(new DispatcherEndpoint(dispatcher.getAddress(), fencingToken()));
        assertThat(DriverJobMarkers.jobManagerLeadership(driver.plan.getJobConfiguration()))
                .isEqualTo(2);

        // The restarted main() counts its driver attempts from 0 again: the leadership tells its
        // collecting job from the first run's.
        JobID secondCollect = DriverJobIds.ofRerun(APP, 1, 1, 2, 0);
        assertThat(secondCollect).isNotEqualTo(firstCollect);
        JobGraph rerun = new JobGraph(secondCollect, APP, NAME + ": collect");
        DriverJobMarkers.markSubmittedJob(rerun.getJobConfiguration(), APP, 1, true);
        gateway().submitJob(rerun, TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(jobs.await(secondCollect)).as("the collecting job runs again").isNotNull();
        assertThat(jobs.started).containsExactlyInAnyOrder(DRIVER, secondCollect);
    }

    @Test
    void aDriverThatHadFailedUnderTheLostJobManagerEndsTheApplicationFailed() throws Exception {
        JobGraph running = userJob(1, "load", LivingPriority.NORMAL);
        JobResult failedDriver =
                new JobResult.Builder()
                        .jobId(DRIVER)
                        .applicationId(APP)
                        .jobName(NAME)
                        .jobStatus(JobStatus.FAILED)
                        .serializedThrowable(
                                new SerializedThrowable(new IllegalStateException("main() threw")))
                        .netRuntime(1)
                        .build();
        haServices
                .getJobResultStore()
                .createDirtyResultAsync(new JobResultEntry(failedDriver))
                .get();

        start(List.of(running), List.of(failedDriver), 2);

        RunningJob load = jobs.await(running.getJobID());
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.FAILED);
        assertThat(load.cancelled).as("recovered, then cancelled").isTrue();
        assertThat(jobs.started).as("the driver is not run again").doesNotContain(DRIVER);
        assertThat(diagnostics.getDiagnostics())
                .startsWith("flink-driver: application FAILED: 0 jobs finished, 0 failed, 1")
                .endsWith("Cause: java.lang.IllegalStateException: main() threw");
    }

    @Test
    void stoppingTheDriverJobStopsEveryJobWithASavepointTakesNoNewJobsAndEndsSucceeded()
            throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob normal = submit(userJob(1, "load", LivingPriority.NORMAL));
        RunningJob daemon = submit(userJob(2, "monitor", LivingPriority.DAEMON));

        AsynchronousJobOperationKey stop = AsynchronousJobOperationKey.of(new TriggerId(), DRIVER);
        CompletableFuture<String> stopped =
                gateway()
                        .stopWithSavepoint(
                                stop,
                                temp.toUri().toString(),
                                SavepointFormatType.DEFAULT,
                                TriggerSavepointMode.SUSPEND_WITH_SAVEPOINT,
                                TIMEOUT)
                        .thenCompose(ack -> awaitSavepoint(stop));
        await().atMost(TIMEOUT).until(() -> normal.stopping.isDone() && daemon.stopping.isDone());
        CompletableFuture<Acknowledge> late =
                gateway().submitJob(userJob(3, "late", LivingPriority.NORMAL), TIMEOUT);
        assertThat(late)
                .as("from the moment of the stop")
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .withMessageContaining("is being stopped with an application savepoint");
        normal.stopWithSavepoint();
        // main() goes on once its job returned, and fails: the stop decides all the same.
        driver.end(JobStatus.FAILED, new IllegalStateException("main() after its job"));
        daemon.stopWithSavepoint();

        String location = stopped.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(shutDownStatus()).isEqualTo(ApplicationStatus.SUCCEEDED);
        ApplicationSavepoint manifest =
                ApplicationSavepoint.read(new org.apache.flink.core.fs.Path(location));
        assertThat(manifest.stopped()).isTrue();
        assertThat(manifest.jobs())
                .extracting(j -> j.position() + " " + j.name() + " " + j.savepoint())
                .containsExactly("1 load savepoint-load", "2 monitor savepoint-monitor");
        assertThat(normal.stopping.join())
                .as("each job's savepoint goes into the application savepoint")
                .isEqualTo(location);
        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 2 jobs finished, 0 failed, 0"
                                + " cancelled, driver restarted 0 times. Stopped with application"
                                + " savepoint "
                                + location);
        assertThat(jobs.started).doesNotContain(DriverJobIds.ofPosition(APP, 3));
    }

    @Test
    void aSavepointOfTheDriverJobIsOneOfEveryRunningJobAndTheApplicationRunsOn() throws Exception {
        start(List.of(), List.of(), 1);
        RunningJob driver = jobs.await(DRIVER);
        RunningJob done = submit(userJob(1, "done", LivingPriority.NORMAL));
        done.end(JobStatus.FINISHED, null);
        awaitTerminal(done.plan.getJobID());
        submit(userJob(2, "load", LivingPriority.NORMAL));

        AsynchronousJobOperationKey savepoint =
                AsynchronousJobOperationKey.of(new TriggerId(), DRIVER);
        gateway()
                .triggerSavepoint(
                        savepoint,
                        temp.toUri().toString(),
                        SavepointFormatType.DEFAULT,
                        TriggerSavepointMode.SAVEPOINT,
                        TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String location = awaitSavepoint(savepoint).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(ApplicationSavepoint.read(new org.apache.flink.core.fs.Path(location)).jobs())
                .as("only the running job")
                .extracting(j -> j.position() + " " + j.name())
                .containsExactly("2 load");
        assertThat(dispatcher.getShutDownFuture()).isNotDone();
        assertThat(driver.cancelled).isFalse();
    }

    @Test
    void aRunningJobThatCannotBeStoppedLetsTheApplicationRunOn() throws Exception {
        start(List.of(), List.of(), 1);
        jobs.await(DRIVER);
        RunningJob load = submit(userJob(1, "load", LivingPriority.NORMAL));
        load.status = JobStatus.RESTARTING;

        AsynchronousJobOperationKey stop = AsynchronousJobOperationKey.of(new TriggerId(), DRIVER);
        gateway()
                .stopWithSavepoint(
                        stop,
                        temp.toUri().toString(),
                        SavepointFormatType.DEFAULT,
                        TriggerSavepointMode.SUSPEND_WITH_SAVEPOINT,
                        TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(awaitSavepoint(stop))
                .failsWithin(TIMEOUT)
                .withThrowableThat()
                .withMessageContaining("Job #1 'load' (")
                .withMessageContaining("is RESTARTING, not RUNNING");
        assertThat(load.stopping).isNotDone();
        load.status = JobStatus.RUNNING;
        submit(userJob(2, "next", LivingPriority.NORMAL));
        assertThat(dispatcher.getShutDownFuture()).isNotDone();
    }

    /** The result of the savepoint operation on the job, polled as the REST handler does. */
    private CompletableFuture<String> awaitSavepoint(AsynchronousJobOperationKey key) {
        return CompletableFuture.supplyAsync(
                () -> {
                    OperationResult<String> result =
                            await().atMost(TIMEOUT)
                                    .until(
                                            () -> gateway().getTriggeredSavepointStatus(key).get(),
                                            r ->
                                                    r.getStatus()
                                                            != OperationResultStatus.IN_PROGRESS);
                    if (result.getStatus() == OperationResultStatus.FAILURE) {
                        throw new CompletionException(result.getThrowable());
                    }
                    return result.getResult();
                });
    }

    // ------------------------------------------------------------------------

    private void start(List<ExecutionPlan> recoveredJobs, List<JobResult> dirty, int attempt)
            throws Exception {
        start(recoveredJobs, dirty, attempt, 1);
    }

    private void start(
            List<ExecutionPlan> recoveredJobs, List<JobResult> dirty, int attempt, int leadership)
            throws Exception {
        Path jar = Files.write(temp.resolve("app.jar"), new byte[] {1, 2, 3});
        Configuration cluster = new Configuration();
        Configuration driverConfiguration = new Configuration();
        driverConfiguration.set(DriverInternalOptions.JAR, jar.toString());
        driverConfiguration.set(DriverOptions.MAIN_CLASS, "com.acme.Main");
        driverConfiguration.set(DriverInternalOptions.JOBMANAGER_ATTEMPT, attempt);
        DriverApplication application =
                new DriverApplication(
                        APP,
                        DRIVER,
                        DriverApplicationNames.of(driverConfiguration),
                        cluster,
                        driverConfiguration,
                        CompletableFuture.completedFuture("http://localhost:8081"),
                        ResourceProfile.UNKNOWN,
                        NoOpInvokable.class);
        DispatcherServices services =
                DispatcherServices.from(
                        PartialDispatcherServicesWithPersistenceComponents.from(
                                TestingPartialDispatcherServices.builder()
                                        .withHighAvailabilityServices(haServices)
                                        .withFatalErrorHandler(fatalErrors)
                                        .build(blobServer, cluster),
                                haServices.getExecutionPlanStore(),
                                haServices.getJobResultStore(),
                                haServices.getApplicationStore(),
                                haServices.getApplicationResultStore()),
                        jobs,
                        CheckpointResourcesCleanupRunnerFactory.INSTANCE);
        dispatcher =
                new DriverDispatcher(
                        rpcService,
                        DispatcherId.generate(),
                        recoveredJobs,
                        dirty,
                        List.of(),
                        List.of(),
                        application,
                        services,
                        diagnostics,
                        TIMEOUT,
                        new DriverRecovery(APP, DRIVER, attempt, leadership, recoveredJobs, dirty),
                        attempt,
                        leadership);
        dispatcher.start();
    }

    private DispatcherGateway gateway() {
        return dispatcher.getSelfGateway(DispatcherGateway.class);
    }

    private DispatcherId fencingToken() {
        return gateway().getFencingToken();
    }

    /** A job as the driver's main() submits it: marked, with the id of its position. */
    private static JobGraph userJob(int position, String name, LivingPriority priority) {
        JobGraph job =
                new JobGraph(DriverJobIds.ofPosition(APP, position), APP, NAME + ": " + name);
        DriverJobMarkers.markSubmittedJob(job.getJobConfiguration(), APP, position, false);
        DriverJobMarkers.setJobName(job.getJobConfiguration(), name);
        job.getJobConfiguration().set(DriverOptions.JOB_LIVING_PRIORITY, priority);
        return job;
    }

    private RunningJob submit(JobGraph job) throws Exception {
        gateway().submitJob(job, TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return jobs.await(job.getJobID());
    }

    /** Until the dispatcher has seen the job end. */
    private void awaitTerminal(JobID jobId) {
        await().atMost(TIMEOUT)
                .until(
                        () ->
                                gateway()
                                        .requestJobStatus(jobId, TIMEOUT)
                                        .get()
                                        .isGloballyTerminalState());
    }

    private ApplicationStatus shutDownStatus() throws Exception {
        return dispatcher.getShutDownFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stands in for the JobMasters: records every job the dispatcher runs. */
    private static final class Jobs implements JobManagerRunnerFactory {

        private final Map<JobID, RunningJob> byId = new ConcurrentHashMap<>();

        /** Every job run, in order: a job run twice is in here twice. */
        private final List<JobID> started = new CopyOnWriteArrayList<>();

        @Override
        public JobManagerRunner createJobManagerRunner(
                ExecutionPlan executionPlan,
                Configuration configuration,
                RpcService rpcService,
                HighAvailabilityServices highAvailabilityServices,
                HeartbeatServices heartbeatServices,
                JobManagerSharedServices jobManagerServices,
                JobManagerJobMetricGroupFactory jobManagerJobMetricGroupFactory,
                FatalErrorHandler fatalErrorHandler,
                Collection<FailureEnricher> failureEnrichers,
                JobStatusListener jobStatusListener,
                long initializationTimestamp) {
            RunningJob job = new RunningJob(executionPlan, jobStatusListener);
            started.add(executionPlan.getJobID());
            byId.put(executionPlan.getJobID(), job);
            return job;
        }

        RunningJob await(JobID jobId) {
            Awaitility.await().atMost(TIMEOUT).until(() -> byId.containsKey(jobId));
            return byId.get(jobId);
        }
    }

    /** A job that runs until the test ends it, or the dispatcher cancels it. */
    private static final class RunningJob implements JobManagerRunner {

        private final ExecutionPlan plan;

        private final CompletableFuture<JobManagerRunnerResult> result = new CompletableFuture<>();

        private volatile JobStatus status = JobStatus.RUNNING;

        /** The job's application, if it follows its jobs (a SingleJobApplication does). */
        @Nullable private final JobStatusListener listener;

        private volatile boolean cancelled;

        /** A cancel only records the request: the test ends the job when its task stopped. */
        private volatile boolean cancellationHeld;

        /** Completes with the target directory once the dispatcher stops the job. */
        private final CompletableFuture<String> stopping = new CompletableFuture<>();

        private final CompletableFuture<String> savepoint = new CompletableFuture<>();

        private final JobMasterGateway jobMaster =
                new TestingJobMasterGatewayBuilder()
                        .setStopWithSavepointSupplier(
                                (dir, terminate, format) -> {
                                    stopping.complete(dir);
                                    return savepoint;
                                })
                        .setTriggerSavepointFunction(
                                (dir, cancel, format) ->
                                        CompletableFuture.completedFuture(
                                                dir + "/savepoint-" + shortName()))
                        .build();

        RunningJob(ExecutionPlan plan, @Nullable JobStatusListener listener) {
            this.plan = plan;
            this.listener = listener;
        }

        void holdCancellation() {
            cancellationHeld = true;
        }

        /** The job's stop-with-savepoint completes: its savepoint is there, and it FINISHED. */
        void stopWithSavepoint() {
            savepoint.complete(stopping.join() + "/savepoint-" + shortName());
            end(JobStatus.FINISHED, null);
        }

        private String shortName() {
            return plan.getName().substring(plan.getName().lastIndexOf(' ') + 1);
        }

        synchronized void end(JobStatus endStatus, @Nullable Throwable failure) {
            if (result.isDone()) {
                return;
            }
            status = endStatus;
            if (listener != null) {
                // As the JobMaster reports it, before the result.
                listener.jobStatusChanges(plan.getJobID(), endStatus, 2L);
            }
            result.complete(JobManagerRunnerResult.forSuccess(graph(endStatus, failure)));
        }

        private ExecutionGraphInfo graph(JobStatus jobStatus, @Nullable Throwable failure) {
            return new ExecutionGraphInfo(
                    ArchivedExecutionGraph.createSparseArchivedExecutionGraph(
                            plan.getJobID(),
                            plan.getName(),
                            jobStatus,
                            JobType.STREAMING,
                            failure,
                            null,
                            1L,
                            2L,
                            plan.getApplicationId().orElse(null)));
        }

        @Override
        public void start() {}

        @Override
        public CompletableFuture<JobMasterGateway> getJobMasterGateway() {
            return CompletableFuture.completedFuture(jobMaster);
        }

        @Override
        public CompletableFuture<JobManagerRunnerResult> getResultFuture() {
            return result;
        }

        @Override
        public JobID getJobID() {
            return plan.getJobID();
        }

        @Override
        public CompletableFuture<Acknowledge> cancel(Duration timeout) {
            cancelled = true;
            if (!cancellationHeld) {
                end(JobStatus.CANCELED, null);
            }
            return CompletableFuture.completedFuture(Acknowledge.get());
        }

        @Override
        public CompletableFuture<JobStatus> requestJobStatus(Duration timeout) {
            return CompletableFuture.completedFuture(status);
        }

        @Override
        public CompletableFuture<JobDetails> requestJobDetails(Duration timeout) {
            return CompletableFuture.completedFuture(
                    JobDetails.createDetailsForJob(graph(status, null)));
        }

        @Override
        public CompletableFuture<ExecutionGraphInfo> requestJob(Duration timeout) {
            return CompletableFuture.completedFuture(graph(status, null));
        }

        @Override
        public boolean isInitialized() {
            return true;
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
            // The dispatcher stops: a job that still runs is suspended, as on a failover.
            end(JobStatus.SUSPENDED, null);
            return CompletableFuture.completedFuture(null);
        }
    }
}
