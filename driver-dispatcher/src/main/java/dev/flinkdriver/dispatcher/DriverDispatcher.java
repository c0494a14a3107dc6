package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DispatcherEndpoint;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.application.AbstractApplication;
import org.apache.flink.runtime.application.SingleJobApplication;
import org.apache.flink.runtime.client.JobSubmissionException;
import org.apache.flink.runtime.dispatcher.ApplicationBootstrap;
import org.apache.flink.runtime.dispatcher.Dispatcher;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.dispatcher.DispatcherServices;
import org.apache.flink.runtime.dispatcher.TriggerSavepointMode;
import org.apache.flink.runtime.highavailability.ApplicationResult;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.streaming.api.graph.ExecutionPlan;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.FutureUtils;

import javax.annotation.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A dispatcher that runs one driver application and shuts the cluster down when it ends.
 *
 * <p>Every job has a {@link LivingPriority}: the driver job is DRIVER, jobs of the driver
 * application are NORMAL unless their configuration says {@link DriverOptions#JOB_LIVING_PRIORITY}
 * DAEMON, and jobs of other applications are treated as DAEMON. This class observes submissions and
 * job ends, the {@link LivingPriorityTracker} decides, and this class acts on the decision: it
 * cancels what is left, waits until everything is terminal, ends the application and shuts the
 * cluster down with the outcome's status; the {@link DriverReporter} tells YARN.
 *
 * <p>Job ends are observed through the job results, not through {@code
 * runPostJobGloballyTerminated}: for a job of a running application that hook only fires once the
 * application itself has ended. All state is confined to the main thread.
 */
public class DriverDispatcher extends Dispatcher {

    private final DriverApplication driverApplication;

    private final ApplicationID driverApplicationId;

    private final JobID driverJobId;

    private final Duration timeout;

    private final LivingPriorityTracker tracker;

    private final DriverJobPositions positions = new DriverJobPositions();

    private final DriverReporter reporter;

    /** What high availability kept of an earlier JobManager; empty on the first attempt. */
    private final DriverRecovery recovery;

    /** The YARN application attempt of this JobManager, 1 for the first. */
    private final int jobManagerAttempt;

    /** Which leadership of this JobManager's process this dispatcher runs, 1 for the first. */
    private final int leadership;

    private final ApplicationSavepointOperation applicationSavepoints;

    private final FailureRequests failureRequests;

    /**
     * @param recovery the recovered jobs and results sorted for the driver application
     * @param jobManagerAttempt the YARN application attempt running this JobManager
     * @param leadership the leadership of this JobManager's process, 1 for the first
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
            int jobManagerAttempt,
            int leadership)
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
        this.timeout = checkNotNull(timeout);
        this.tracker = new LivingPriorityTracker(driverJobId);
        this.reporter = new DriverReporter(diagnostics, jobManagerAttempt);
        this.failureRequests = diagnostics.failureRequests();
        this.recovery = checkNotNull(recovery);
        this.jobManagerAttempt = jobManagerAttempt;
        this.leadership = leadership;
        this.applicationSavepoints =
                new ApplicationSavepointOperation(
                        driverApplicationId.toHexString(),
                        driverApplication.getName(),
                        dispatcherServices.getIoExecutor(),
                        Clock.systemUTC(),
                        new Random());
        // The plan object is the one Flink's dispatcher recovers: marked before it runs.
        recovery.suspendedDriverJob().ifPresent(this::markDriverJob);
        if (recovery.hasDriverJob()) {
            // Before onStart() runs the application: HA kept the driver job, submit no other.
            driverApplication.driverJobRecovered();
        }
    }

    @Override
    public void onStart() throws Exception {
        driverApplication.setCancelHandler(this::cancelDriverApplication);
        // E.g. the resource manager finding that YARN's queue grants no TaskManager.
        failureRequests.listen(cause -> runAsync(() -> failApplication(cause)));
        // Flink starts the driver application here, and with it cleans up after the jobs that
        // had ended under the earlier JobManager.
        super.onStart();
        // After a JobManager failover: what HA kept is replayed, and what still ran runs on.
        for (ExecutionPlan plan : recovery.replayInto(tracker, positions)) {
            recoverAndFollow(plan);
        }
        advance();
    }

    /**
     * The one place that tells the driver job which dispatcher (JobManager attempt, leadership and
     * fencing token) runs it: the driver submits main()'s jobs there, and a restarted main()
     * derives the ids of the jobs that collect rows to it from the attempt and leadership ({@link
     * dev.flinkdriver.api.DriverJobIds#ofRerun}).
     */
    private void markDriverJob(ExecutionPlan driverJob) {
        DriverJobMarkers.markDriverJob(
                driverJob.getJobConfiguration(),
                new DispatcherEndpoint(getAddress(), getFencingToken()),
                jobManagerAttempt,
                leadership);
    }

    // ------------------------------------------------------------------------
    //  Observe: submissions
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
            Optional<ApplicationID> marker =
                    DriverJobMarkers.claimedApplicationId(
                            plan.getJobID(), plan.getJobConfiguration());
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
        if (outcome.isPresent() || tracker.isStopping()) {
            return FutureUtils.completedExceptionally(
                    new JobSubmissionException(
                            jobId,
                            "The driver application "
                                    + driverApplicationId
                                    + (outcome.isPresent()
                                            ? " is ending (" + outcome.get() + ")"
                                            : " is being stopped with an application savepoint")
                                    + ": it takes no new jobs."));
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
            tracks = tracker.driverJobSubmitted();
            if (tracks) {
                markDriverJob(plan);
            }
        } else {
            tracks = !tracker.isTracked(jobId);
            if (tracks) {
                LivingPriority priority = livingPriorityOf(plan);
                log.info("Job '{}' ({}) has living priority {}.", plan.getName(), jobId, priority);
                tracker.jobSubmitted(jobId, priority);
                reporter.progress(tracker);
            }
        }

        CompletableFuture<Acknowledge> submission = super.submitJob(plan, timeout);
        if (!tracks) {
            // A duplicate: the first submission is the one being followed.
            return submission;
        }
        return followOnceAccepted(submission, plan);
    }

    /** The driver application reports here when it could not even build its driver job. */
    @Override
    public CompletableFuture<Acknowledge> submitFailedJob(
            JobID jobId, String jobName, Throwable exception) {
        CompletableFuture<Acknowledge> result = super.submitFailedJob(jobId, jobName, exception);
        if (jobId.equals(driverJobId) && tracker.driverJobPreparationFailed(exception)) {
            advance();
        }
        return result;
    }

    private void onSubmissionFailed(JobID jobId, ExecutionPlan plan, Throwable failure) {
        Throwable cause = ExceptionUtils.stripCompletionException(failure);
        log.warn("Submission of job {} failed.", jobId, cause);
        DriverJobMarkers.position(plan.getJobConfiguration())
                .ifPresent(position -> positions.submissionFailed(position, jobId));
        tracker.jobSubmissionFailed(jobId, cause);
        advance();
    }

    private void cancelDriverApplication() {
        log.info("Driver application {} is cancelled.", driverApplicationId);
        tracker.applicationCancelled();
        advance();
    }

    /**
     * A cancel of the running driver job from outside ({@code flink-driver cancel}, Flink's UI or
     * REST API) cancels the application from this moment, not once the driver's task has stopped:
     * main() runs on until it does, and a job it submits meanwhile is refused. The dispatcher's own
     * cancels come once the outcome is decided and change nothing here, and a driver job that has
     * ended is Flink's to answer.
     */
    @Override
    public CompletableFuture<Acknowledge> cancelJob(JobID jobId, Duration timeout) {
        if (!jobId.equals(driverJobId) || !tracker.driverCancellationRequested()) {
            return super.cancelJob(jobId, timeout);
        }
        log.info(
                "The driver job of driver application {} is cancelled: the application ends"
                        + " CANCELED and takes no new jobs.",
                driverApplicationId);
        CompletableFuture<Acknowledge> cancelled = super.cancelJob(jobId, timeout);
        advance();
        return cancelled;
    }

    // ------------------------------------------------------------------------
    //  Observe: job ends
    // ------------------------------------------------------------------------

    private void recoverAndFollow(ExecutionPlan plan) {
        JobID jobId = plan.getJobID();
        log.info("Recovering job '{}' ({}).", plan.getName(), jobId);
        followOnceAccepted(recoverJob(jobId, timeout), plan);
    }

    /** A submitted or recovered job is followed to its end once the dispatcher has taken it. */
    private CompletableFuture<Acknowledge> followOnceAccepted(
            CompletableFuture<Acknowledge> acceptance, ExecutionPlan plan) {
        JobID jobId = plan.getJobID();
        return acceptance.whenCompleteAsync(
                (ack, failure) -> {
                    if (failure != null) {
                        onSubmissionFailed(jobId, plan, failure);
                    } else {
                        followJob(jobId);
                    }
                },
                getMainThreadExecutor());
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
        tracker.jobTerminated(jobId, status, cause);
        advance();
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
                ? CompletableFuture.completedFuture(DriverRecovery.statusOf(recovered.get()))
                : super.requestJobStatus(jobId, timeout);
    }

    // ------------------------------------------------------------------------
    //  Application savepoints: Flink's savepoint operations on the driver job
    // ------------------------------------------------------------------------

    /**
     * A savepoint of the driver job is an application savepoint: a savepoint of every running job
     * of the application into one directory with a manifest, whose path is the answer.
     */
    @Override
    public CompletableFuture<String> triggerSavepointAndGetLocation(
            JobID jobId,
            String targetDirectory,
            SavepointFormatType formatType,
            TriggerSavepointMode savepointMode,
            Duration timeout) {
        if (!jobId.equals(driverJobId)) {
            return super.triggerSavepointAndGetLocation(
                    jobId, targetDirectory, formatType, savepointMode, timeout);
        }
        if (savepointMode.isTerminalMode()) {
            return FutureUtils.completedExceptionally(
                    new UnsupportedOperationException(
                            "A driver application is not cancelled with a savepoint; stop it"
                                    + " with one: flink-driver stop <applicationId>"));
        }
        Optional<ApplicationOutcome> outcome = tracker.getOutcome();
        if (outcome.isPresent() || tracker.isStopping()) {
            return FutureUtils.completedExceptionally(
                    new IllegalStateException(
                            "The driver application "
                                    + driverApplicationId
                                    + (outcome.isPresent()
                                            ? " is ending (" + outcome.get() + ")"
                                            : " is being stopped")
                                    + ": its jobs take no savepoints any more."));
        }
        return applicationSavepoints.run(
                applicationSavepoints.newDirectory(targetDirectory),
                runningJobs(),
                false,
                (job, dir) ->
                        super.triggerSavepointAndGetLocation(
                                job, dir, formatType, savepointMode, timeout));
    }

    /**
     * A stop-with-savepoint of the driver job stops the application: from this moment it takes no
     * new jobs, every running job is stopped with its savepoint into one application savepoint, and
     * then the application ends SUCCEEDED, whatever main() does meanwhile or next (the driver job
     * is cancelled). If a job cannot be stopped before any was, the application runs on.
     */
    @Override
    public CompletableFuture<String> stopWithSavepointAndGetLocation(
            JobID jobId,
            String targetDirectory,
            SavepointFormatType formatType,
            TriggerSavepointMode savepointMode,
            Duration timeout) {
        if (!jobId.equals(driverJobId)) {
            return super.stopWithSavepointAndGetLocation(
                    jobId, targetDirectory, formatType, savepointMode, timeout);
        }
        Optional<String> refused = tracker.stopRequested();
        if (refused.isPresent()) {
            return FutureUtils.completedExceptionally(
                    new IllegalStateException(
                            "The driver application "
                                    + driverApplicationId
                                    + " cannot be stopped: "
                                    + refused.get()
                                    + "."));
        }
        log.info(
                "Driver application {} is stopped with an application savepoint.",
                driverApplicationId);
        List<ApplicationSavepointOperation.Target> targets = runningJobs();
        CompletableFuture<String> stopped =
                allRunning(targets)
                        .thenComposeAsync(
                                ignored ->
                                        applicationSavepoints.run(
                                                applicationSavepoints.newDirectory(targetDirectory),
                                                targets,
                                                true,
                                                (job, dir) ->
                                                        super.stopWithSavepointAndGetLocation(
                                                                job,
                                                                dir,
                                                                formatType,
                                                                savepointMode,
                                                                timeout)),
                                getMainThreadExecutor());
        return stopped.whenCompleteAsync(
                (location, failure) -> {
                    if (failure == null) {
                        log.info(
                                "Driver application {} was stopped with application savepoint"
                                        + " {}.",
                                driverApplicationId,
                                location);
                        tracker.stopCompleted(location);
                    } else {
                        Throwable cause = ExceptionUtils.stripCompletionException(failure);
                        log.warn(
                                "The stop of driver application {} failed.",
                                driverApplicationId,
                                cause);
                        boolean someStopped =
                                cause instanceof ApplicationSavepointOperation.FailedException
                                        && ((ApplicationSavepointOperation.FailedException) cause)
                                                .someJobStopped();
                        if (someStopped) {
                            // Part of the application is gone: it cannot go on as it was.
                            tracker.applicationFailed(cause);
                        }
                        tracker.stopFailed();
                    }
                    advance();
                },
                getMainThreadExecutor());
    }

    /** The jobs main() submitted that have not ended, by position. */
    private List<ApplicationSavepointOperation.Target> runningJobs() {
        List<ApplicationSavepointOperation.Target> targets = new ArrayList<>();
        for (DriverJobPositions.Submitted job : positions.jobs()) {
            if (tracker.isTracked(job.jobId()) && !tracker.isTerminal(job.jobId())) {
                targets.add(
                        new ApplicationSavepointOperation.Target(
                                job.position(), job.jobId(), job.programName()));
            }
        }
        return targets;
    }

    /**
     * Fails unless every target runs: a stop that fails half way leaves an application that cannot
     * go on, so one that could not succeed is refused before it stops anything.
     */
    private CompletableFuture<Void> allRunning(List<ApplicationSavepointOperation.Target> targets) {
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (ApplicationSavepointOperation.Target target : targets) {
            checks.add(
                    requestJobStatus(target.jobId(), timeout)
                            .thenAccept(
                                    status -> {
                                        if (status != JobStatus.RUNNING) {
                                            throw new CompletionException(
                                                    new IllegalStateException(
                                                            String.format(
                                                                    "Job #%d '%s' (%s) is %s, not"
                                                                            + " RUNNING; stop the"
                                                                            + " application once"
                                                                            + " it runs.",
                                                                    target.position(),
                                                                    target.name(),
                                                                    target.jobId(),
                                                                    status)));
                                        }
                                    }));
        }
        return FutureUtils.waitForAll(checks);
    }

    // ------------------------------------------------------------------------
    //  Decide: what a submission at a position means
    // ------------------------------------------------------------------------

    /** How the job at its position in main() is answered; empty for jobs main() did not send. */
    private Optional<DriverJobPositions.Decision> positionDecision(ExecutionPlan plan) {
        OptionalInt position = DriverJobMarkers.position(plan.getJobConfiguration());
        if (position.isEmpty() || !isDriverApplications(plan)) {
            return Optional.empty();
        }
        return Optional.of(
                positions.submitted(
                        position.getAsInt(),
                        plan.getJobID(),
                        plan.getName(),
                        DriverJobMarkers.jobName(plan.getJobConfiguration())
                                .orElse(plan.getName())));
    }

    private LivingPriority livingPriorityOf(ExecutionPlan plan) {
        if (!isDriverApplications(plan)) {
            // Not the driver's: such a job must not keep the cluster alive.
            return LivingPriority.DAEMON;
        }
        return LivingPriority.ofSubmittedJob(plan.getJobConfiguration());
    }

    private boolean isDriverApplications(ExecutionPlan plan) {
        return plan.getApplicationId().map(driverApplicationId::equals).orElse(false);
    }

    // ------------------------------------------------------------------------
    //  Act
    // ------------------------------------------------------------------------

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
        tracker.applicationFailed(cause);
        advance();
    }

    /** Acts on the tracker's decision: cancel what is left, and shut down once all ended. */
    private void advance() {
        reporter.progress(tracker);
        Optional<ApplicationOutcome> outcome = tracker.getOutcome();
        if (outcome.isEmpty() || tracker.isShuttingDown()) {
            return;
        }
        driverApplication.transitionToEnding(outcome.get(), tracker.getFailureCause());
        for (JobID jobId : tracker.takeJobsToCancel()) {
            cancel(jobId);
        }
        if (tracker.startShutDown()) {
            shutDown(outcome.get());
        }
    }

    private void cancel(JobID jobId) {
        if (jobId.equals(driverJobId) && tracker.withdrawDriverJob()) {
            // Still being prepared: it will never be submitted (submitJob refuses it now).
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
        requestExecutionGraphInfo(driverJobId, timeout)
                .handleAsync(
                        (driverJob, failure) -> {
                            reporter.ended(outcome, tracker, driverJob);
                            driverApplication.transitionToEnded(outcome, tracker.getFailureCause());
                            shutDownCluster(outcome.toApplicationStatus());
                            return null;
                        },
                        getMainThreadExecutor());
    }
}
