package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DispatcherEndpoint;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.application.AbstractApplication;
import org.apache.flink.runtime.application.SingleJobApplication;
import org.apache.flink.runtime.client.JobSubmissionException;
import org.apache.flink.runtime.dispatcher.ApplicationBootstrap;
import org.apache.flink.runtime.dispatcher.Dispatcher;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.dispatcher.DispatcherServices;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.highavailability.ApplicationResult;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.streaming.api.graph.ExecutionPlan;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.FutureUtils;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A dispatcher that runs one driver application and shuts the cluster down when it ends.
 *
 * <p>Every job has a {@link LivingPriority}: the driver job is DRIVER, jobs of the driver
 * application are NORMAL unless their configuration says {@link DriverOptions#JOB_LIVING_PRIORITY}
 * DAEMON, and jobs of other applications are treated as DAEMON. The {@link LivingPriorityTracker}
 * decides the outcome; this class cancels what is left, waits until everything is terminal, ends
 * the application and shuts the cluster down with the outcome's status and a one-line summary in
 * {@link DriverDiagnostics}.
 *
 * <p>Job ends are observed through the job results, not through {@code
 * runPostJobGloballyTerminated}: for a job of a running application that hook only fires once the
 * application itself has ended. All state is confined to the main thread.
 */
public class DriverDispatcher extends Dispatcher {

    private final DriverApplication driverApplication;

    private final ApplicationID driverApplicationId;

    private final JobID driverJobId;

    private final DriverDiagnostics diagnostics;

    private final Duration timeout;

    private final LivingPriorityTracker tracker;

    private final DriverJobPositions positions = new DriverJobPositions();

    /** The driver job was handed to the dispatcher, or its preparation failed. */
    private boolean driverSubmitted;

    private @Nullable Throwable driverFailure;

    private boolean shutDownTriggered;

    /** What high availability kept of an earlier JobManager; empty on the first attempt. */
    private final DriverRecovery recovery;

    /** The YARN application attempt of this JobManager, 1 for the first. */
    private final int jobManagerAttempt;

    /**
     * @param recovery the recovered jobs and results sorted for the driver application; the driver
     *     application must already know whether its driver job was recovered
     * @param jobManagerAttempt the YARN application attempt running this JobManager
     */
    DriverDispatcher(
            RpcService rpcService,
            DispatcherId fencingToken,
            Collection<ExecutionPlan> recoveredJobs,
            Collection<JobResult> recoveredDirtyJobResults,
            Collection<AbstractApplication> recoveredApplications,
            Collection<ApplicationResult> recoveredDirtyApplicationResults,
            DriverApplication driverApplication,
            DispatcherServices dispatcherServices,
            DriverDiagnostics diagnostics,
            Duration timeout,
            DriverRecovery recovery,
            int jobManagerAttempt)
            throws Exception {
        super(
                rpcService,
                fencingToken,
                recoveredJobs,
                recoveredDirtyJobResults,
                recoveredApplications,
                recoveredDirtyApplicationResults,
                (dispatcherGateway, scheduledExecutor, fatalErrorHandler) ->
                        new ApplicationBootstrap(driverApplication),
                dispatcherServices);
        this.driverApplication = checkNotNull(driverApplication);
        this.driverApplicationId = driverApplication.getApplicationId();
        this.driverJobId = driverApplication.getDriverJobId();
        this.diagnostics = checkNotNull(diagnostics);
        this.timeout = checkNotNull(timeout);
        this.tracker = new LivingPriorityTracker(driverJobId);
        this.recovery = checkNotNull(recovery);
        recovery.markDriverJob(new DispatcherEndpoint(getAddress(), getFencingToken()));
        if (recovery.hasDriverJob()) {
            // Before onStart() runs the application: HA kept the driver job, submit no other.
            driverApplication.driverJobRecovered();
        }
        this.jobManagerAttempt = jobManagerAttempt;
    }

    @Override
    public void onStart() throws Exception {
        driverApplication.setCancelHandler(this::cancelDriverApplication);
        // Flink starts the driver application here, and with it cleans up after the jobs that
        // had ended under the earlier JobManager.
        super.onStart();
        recoverApplication();
    }

    // ------------------------------------------------------------------------
    //  JobManager failover
    // ------------------------------------------------------------------------

    /**
     * After a JobManager failover: rebuilds positions and living priorities from what high
     * availability kept, and recovers the driver job and every job that still ran (from its latest
     * completed checkpoint, Flink's own job recovery). Jobs that had ended are never run again: a
     * restarted main() that submits one is answered with its recovered result.
     */
    private void recoverApplication() {
        if (!recovery.isRecovery()) {
            return;
        }
        List<ExecutionPlan> running = recovery.suspendedUserJobs();
        List<JobResult> ended = recovery.endedUserJobs();
        log.info(
                "JobManager attempt {} recovers driver application {}: driver job {}, {} running"
                        + " jobs, {} ended jobs.",
                jobManagerAttempt,
                driverApplicationId,
                recovery.isDriverSuspended()
                        ? "running"
                        : recovery.driverResult().isPresent() ? "ended" : "missing",
                running.size(),
                ended.size());

        // Every job is registered before any is marked ended: an ended driver with no NORMAL job
        // known yet would end the application at once.
        for (ExecutionPlan plan : running) {
            positionDecision(plan);
            tracker.jobSubmitted(plan.getJobID(), livingPriorityOf(plan));
        }
        for (JobResult result : ended) {
            recovery.positionOf(result)
                    .ifPresent(
                            position ->
                                    positions.submitted(
                                            position, result.getJobId(), result.getJobName()));
            tracker.jobSubmitted(result.getJobId(), LivingPriority.NORMAL);
        }
        for (JobResult result : ended) {
            tracker.jobTerminated(result.getJobId(), statusOf(result));
        }
        recovery.driverResult()
                .ifPresent(
                        result -> {
                            driverSubmitted = true;
                            if (statusOf(result) == JobStatus.FAILED) {
                                onDriverFailed(result.getSerializedThrowable().orElse(null));
                            }
                            tracker.jobTerminated(driverJobId, statusOf(result));
                        });

        for (ExecutionPlan plan : running) {
            recoverAndFollow(plan);
        }
        recovery.suspendedDriverJob()
                .ifPresent(
                        plan -> {
                            driverSubmitted = true;
                            recoverAndFollow(plan);
                        });
        advance();
    }

    private void recoverAndFollow(ExecutionPlan plan) {
        JobID jobId = plan.getJobID();
        log.info("Recovering job '{}' ({}).", plan.getName(), jobId);
        recoverJob(jobId, timeout)
                .whenCompleteAsync(
                        (ack, failure) -> {
                            if (failure != null) {
                                onSubmissionFailed(jobId, plan, failure);
                            } else {
                                followJob(jobId);
                            }
                        },
                        getMainThreadExecutor());
    }

    private static JobStatus statusOf(JobResult result) {
        return result.getJobStatus().orElse(JobStatus.FAILED);
    }

    /**
     * A job that ended under an earlier JobManager is answered from the result high availability
     * kept, accumulators included: Flink's own answer after a failover (from the clean-up of the
     * job's checkpoint resources) has its state but no accumulators.
     */
    @Override
    public CompletableFuture<JobResult> requestJobResult(JobID jobId, Duration timeout) {
        Optional<JobResult> recovered = recovery.resultOf(jobId);
        return recovered.isPresent()
                ? CompletableFuture.completedFuture(recovered.get())
                : super.requestJobResult(jobId, timeout);
    }

    @Override
    public CompletableFuture<JobStatus> requestJobStatus(JobID jobId, Duration timeout) {
        Optional<JobResult> recovered = recovery.resultOf(jobId);
        return recovered.isPresent()
                ? CompletableFuture.completedFuture(statusOf(recovered.get()))
                : super.requestJobStatus(jobId, timeout);
    }

    // ------------------------------------------------------------------------
    //  Submissions
    // ------------------------------------------------------------------------

    /**
     * The REST handler wraps every job into an application of its own; a job that carries the
     * driver's application id joins the driver application instead.
     */
    @Override
    public CompletableFuture<Acknowledge> submitApplication(
            AbstractApplication application, Duration timeout) {
        if (application instanceof SingleJobApplication) {
            ExecutionPlan plan = ((SingleJobApplication) application).getExecutionPlan();
            Optional<ApplicationID> marker = applicationIdMarker(plan);
            if (marker.isPresent() && marker.get().equals(driverApplicationId)) {
                plan.setApplicationId(driverApplicationId);
                return submitJob(plan, timeout);
            }
            marker.ifPresent(
                    other ->
                            log.warn(
                                    "Job {} carries application id {}, not the driver's {}; it"
                                            + " runs in an application of its own.",
                                    plan.getJobID(),
                                    other,
                                    driverApplicationId));
        }
        return super.submitApplication(application, timeout);
    }

    @Override
    public CompletableFuture<Acknowledge> submitJob(ExecutionPlan plan, Duration timeout) {
        JobID jobId = plan.getJobID();
        Optional<ApplicationOutcome> outcome = tracker.getOutcome();
        if (outcome.isPresent()) {
            return FutureUtils.completedExceptionally(
                    new JobSubmissionException(
                            jobId,
                            "The driver application "
                                    + driverApplicationId
                                    + " is ending ("
                                    + outcome.get()
                                    + "): it takes no new jobs."));
        }

        Optional<DriverJobPositions.Decision> decision = positionDecision(plan);
        if (decision.isPresent()) {
            switch (decision.get().answer()) {
                case ATTACH:
                    log.info(
                            "Job '{}' ({}) was submitted by an earlier driver attempt; the"
                                    + " restarted driver is answered with it.",
                            plan.getName(),
                            jobId);
                    return CompletableFuture.completedFuture(Acknowledge.get());
                case MISMATCH:
                    String message = decision.get().message();
                    failApplication(new IllegalStateException(message));
                    return FutureUtils.completedExceptionally(
                            new JobSubmissionException(jobId, message));
                case REPLACE:
                    replace(decision.get().replaced(), plan);
                    break;
                default:
            }
        }

        boolean tracks;
        if (jobId.equals(driverJobId)) {
            tracks = !driverSubmitted;
            driverSubmitted = true;
        } else {
            tracks = !tracker.isTracked(jobId);
            if (tracks) {
                LivingPriority priority = livingPriorityOf(plan);
                log.info("Job '{}' ({}) has living priority {}.", plan.getName(), jobId, priority);
                tracker.jobSubmitted(jobId, priority);
                publishProgress();
            }
        }

        CompletableFuture<Acknowledge> submission = super.submitJob(plan, timeout);
        if (!tracks) {
            // A duplicate: the first submission is the one being followed.
            return submission;
        }
        return submission.whenCompleteAsync(
                (ack, failure) -> {
                    if (failure != null) {
                        onSubmissionFailed(jobId, plan, failure);
                    } else {
                        followJob(jobId);
                    }
                },
                getMainThreadExecutor());
    }

    /** The driver application reports here when it could not even build its driver job. */
    @Override
    public CompletableFuture<Acknowledge> submitFailedJob(
            JobID jobId, String jobName, Throwable exception) {
        CompletableFuture<Acknowledge> result = super.submitFailedJob(jobId, jobName, exception);
        if (jobId.equals(driverJobId) && !driverSubmitted) {
            driverSubmitted = true;
            onDriverFailed(exception);
            tracker.jobTerminated(driverJobId, JobStatus.FAILED);
            advance();
        }
        return result;
    }

    // ------------------------------------------------------------------------
    //  Job ends
    // ------------------------------------------------------------------------

    /** How the job at its position in main() is answered; empty for jobs main() did not send. */
    private Optional<DriverJobPositions.Decision> positionDecision(ExecutionPlan plan) {
        Integer position = plan.getJobConfiguration().get(DriverInternalOptions.JOB_POSITION);
        if (position == null
                || !plan.getApplicationId().map(driverApplicationId::equals).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(positions.submitted(position, plan.getJobID(), plan.getName()));
    }

    /** A job whose rows went to the lost driver runs again; the old run has no reader left. */
    private void replace(JobID replaced, ExecutionPlan plan) {
        log.info(
                "Job '{}' ({}) sends its rows to main(): the restarted driver runs it again as {}.",
                plan.getName(),
                replaced,
                plan.getJobID());
        if (!tracker.isTerminal(replaced)) {
            tracker.jobSuperseded(replaced);
            cancelJob(replaced, timeout);
        }
    }

    /** A rule of driver mode is broken while the driver runs: end the application FAILED. */
    private void failApplication(Throwable cause) {
        log.error("Driver application {} fails.", driverApplicationId, cause);
        onDriverFailed(cause);
        tracker.applicationFailed();
        advance();
    }

    private void onSubmissionFailed(JobID jobId, ExecutionPlan plan, Throwable failure) {
        Throwable cause = ExceptionUtils.stripCompletionException(failure);
        log.warn("Submission of job {} failed.", jobId, cause);
        Integer position = plan.getJobConfiguration().get(DriverInternalOptions.JOB_POSITION);
        if (position != null) {
            positions.submissionFailed(position, jobId);
        }
        if (jobId.equals(driverJobId)) {
            onDriverFailed(cause);
        }
        tracker.jobSubmissionFailed(jobId);
        advance();
    }

    private void followJob(JobID jobId) {
        if (tracker.getOutcome().isPresent()) {
            // Submitted while the application started to end: cancel it like the others.
            cancel(jobId);
        }
        // Called directly, not through RPC: the result future has no timeout, however long the
        // job runs.
        requestJobResult(jobId, timeout)
                .whenCompleteAsync(
                        (result, failure) -> onJobResult(jobId, result, failure),
                        getMainThreadExecutor());
    }

    private void onJobResult(JobID jobId, @Nullable JobResult result, @Nullable Throwable failure) {
        JobStatus status;
        Throwable cause = null;
        if (result != null && result.getJobStatus().isPresent()) {
            status = result.getJobStatus().get();
            cause = result.getSerializedThrowable().orElse(null);
        } else {
            status = JobStatus.FAILED;
            cause = failure == null ? null : ExceptionUtils.stripCompletionException(failure);
        }
        if (!status.isGloballyTerminalState()) {
            // Suspended: the dispatcher itself is stopping, nothing to decide any more.
            log.info("Job {} is {}; not following it any further.", jobId, status);
            return;
        }
        log.info("Job {} reached {}.", jobId, status);
        if (jobId.equals(driverJobId) && status == JobStatus.FAILED) {
            onDriverFailed(cause);
        }
        tracker.jobTerminated(jobId, status);
        advance();
    }

    private void onDriverFailed(@Nullable Throwable cause) {
        if (driverFailure == null) {
            driverFailure = cause;
        }
    }

    private void cancelDriverApplication() {
        log.info("Driver application {} is cancelled.", driverApplicationId);
        tracker.applicationCancelled();
        advance();
    }

    // ------------------------------------------------------------------------
    //  Ending
    // ------------------------------------------------------------------------

    /** Acts on the tracker's decision: cancel what is left, and shut down once all ended. */
    private void advance() {
        publishProgress();
        Optional<ApplicationOutcome> outcome = tracker.getOutcome();
        if (outcome.isEmpty() || shutDownTriggered) {
            return;
        }
        driverApplication.transitionToEnding(outcome.get(), causeOf(outcome.get()));
        for (JobID jobId : tracker.takeJobsToCancel()) {
            cancel(jobId);
        }
        if (tracker.isReadyToShutDown()) {
            shutDown(outcome.get());
        }
    }

    private void cancel(JobID jobId) {
        if (jobId.equals(driverJobId) && !driverSubmitted) {
            // Still being prepared: it will never be submitted (submitJob refuses it now).
            driverSubmitted = true;
            tracker.jobTerminated(driverJobId, JobStatus.CANCELED);
            return;
        }
        log.info("Cancelling job {} since driver application {} ends.", jobId, driverApplicationId);
        cancelJob(jobId, timeout)
                .whenComplete(
                        (ack, failure) -> {
                            if (failure != null) {
                                // Not running any more, or not registered yet: the job's result
                                // or its submission acknowledgement is still to come.
                                log.debug("Could not cancel job {}.", jobId, failure);
                            }
                        });
    }

    private void shutDown(ApplicationOutcome outcome) {
        shutDownTriggered = true;
        requestExecutionGraphInfo(driverJobId, timeout)
                .handleAsync(
                        (info, failure) -> {
                            finishShutDown(outcome, info == null ? -1 : driverRestarts(info));
                            return null;
                        },
                        getMainThreadExecutor());
    }

    /** The driver job has one task: its attempt number counts the restarts. */
    private static int driverRestarts(ExecutionGraphInfo info) {
        int restarts = 0;
        for (AccessExecutionVertex vertex :
                info.getArchivedExecutionGraph().getAllExecutionVertices()) {
            restarts = Math.max(restarts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return restarts;
    }

    private void finishShutDown(ApplicationOutcome outcome, int driverRestarts) {
        String summary =
                DriverSummary.format(
                        outcome,
                        tracker.getJobCounts(),
                        causeOf(outcome),
                        driverRestarts,
                        jobManagerAttempt - 1);
        log.info("{}", summary);
        diagnostics.setDiagnostics(summary);
        diagnostics.updateProgress(1.0);
        driverApplication.transitionToEnded(outcome, causeOf(outcome));
        shutDownCluster(outcome.toApplicationStatus());
    }

    @Nullable
    private Throwable causeOf(ApplicationOutcome outcome) {
        return outcome == ApplicationOutcome.FAILED ? driverFailure : null;
    }

    private void publishProgress() {
        diagnostics.updateProgress(tracker.getProgress());
    }

    // ------------------------------------------------------------------------
    //  Job markers
    // ------------------------------------------------------------------------

    private LivingPriority livingPriorityOf(ExecutionPlan plan) {
        if (!plan.getApplicationId().map(driverApplicationId::equals).orElse(false)) {
            // Not the driver's: such a job must not keep the cluster alive.
            return LivingPriority.DAEMON;
        }
        return LivingPriority.ofSubmittedJob(plan.getJobConfiguration());
    }

    private Optional<ApplicationID> applicationIdMarker(ExecutionPlan plan) {
        String marker = plan.getJobConfiguration().get(DriverInternalOptions.APPLICATION_ID);
        if (marker == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApplicationID.fromHexString(marker));
        } catch (IllegalArgumentException e) {
            log.warn(
                    "Job {} has an invalid {}: {}.",
                    plan.getJobID(),
                    DriverInternalOptions.APPLICATION_ID.key(),
                    marker);
            return Optional.empty();
        }
    }
}
