package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Decides when a driver application ends and how, from the living priorities of its jobs.
 *
 * <p>The application lives while its DRIVER job or a NORMAL job is pending or running. Once the
 * outcome is decided, every job that is not terminal yet has to be cancelled, and the cluster may
 * shut down when all of them are terminal. The driver job decides the outcome: FINISHED gives
 * SUCCEEDED (after the NORMAL jobs), FAILED gives FAILED and CANCELED gives CANCELED at once.
 *
 * <p>Pure bookkeeping without Flink services, so that the decision table can be unit-tested. Not
 * thread-safe: the dispatcher calls it from its main thread only.
 */
public final class LivingPriorityTracker {

    private final JobID driverJobId;

    /** Every job known, in submission order. */
    private final Map<JobID, LivingPriority> priorities = new LinkedHashMap<>();

    private final Map<JobID, JobStatus> terminalStatuses = new HashMap<>();

    private final Set<JobID> cancellationRequested = new HashSet<>();

    @Nullable private ApplicationOutcome outcome;

    /** The driver job reached the dispatcher (or was recovered), or it never will. */
    private boolean driverSubmitted;

    /** Why the application fails: the first failure of the driver or of a rule of driver mode. */
    @Nullable private Throwable failureCause;

    private boolean shutDownStarted;

    /** An application stop with savepoints runs: job ends decide nothing until it completes. */
    private boolean stopping;

    /** The application savepoint the application was stopped with. */
    @Nullable private String stoppedWith;

    public LivingPriorityTracker(JobID driverJobId) {
        this.driverJobId = checkNotNull(driverJobId);
        priorities.put(driverJobId, LivingPriority.DRIVER);
    }

    public JobID getDriverJobId() {
        return driverJobId;
    }

    /**
     * The driver job reaches the dispatcher, submitted or recovered from an earlier JobManager.
     *
     * @return false for a duplicate: the first submission is the one being followed
     */
    public boolean driverJobSubmitted() {
        boolean first = !driverSubmitted;
        driverSubmitted = true;
        return first;
    }

    /**
     * The driver job could not even be built: it fails without ever being submitted.
     *
     * @return false when it had been submitted already, and this report changes nothing
     */
    public boolean driverJobPreparationFailed(@Nullable Throwable cause) {
        if (driverSubmitted) {
            return false;
        }
        driverSubmitted = true;
        jobTerminated(driverJobId, JobStatus.FAILED, cause);
        return true;
    }

    /**
     * The application ends before its driver job was submitted: it never will be (submissions are
     * refused now), so it counts as CANCELED and nothing has to be cancelled.
     *
     * @return false when the driver job was submitted and has to be cancelled
     */
    public boolean withdrawDriverJob() {
        if (driverSubmitted) {
            return false;
        }
        driverSubmitted = true;
        jobTerminated(driverJobId, JobStatus.CANCELED);
        return true;
    }

    /** Registers a job main() (or anybody else) submitted; it is pending from now on. */
    public void jobSubmitted(JobID jobId, LivingPriority priority) {
        checkArgument(
                priority != LivingPriority.DRIVER && !jobId.equals(driverJobId),
                "Only the driver job %s has priority DRIVER.",
                driverJobId);
        priorities.putIfAbsent(jobId, priority);
    }

    /** Forgets a job whose submission was rejected: it never ran. The driver job fails instead. */
    public void jobSubmissionFailed(JobID jobId) {
        jobSubmissionFailed(jobId, null);
    }

    /** As {@link #jobSubmissionFailed(JobID)}; the cause is the driver's failure if it is its. */
    public void jobSubmissionFailed(JobID jobId, @Nullable Throwable cause) {
        if (jobId.equals(driverJobId)) {
            jobTerminated(jobId, JobStatus.FAILED, cause);
        } else {
            forget(jobId);
        }
    }

    /**
     * Forgets a job that a restarted driver runs again under a new id (its rows went to the lost
     * driver): the new job takes its place, whatever becomes of the old one.
     */
    public void jobSuperseded(JobID jobId) {
        checkArgument(!jobId.equals(driverJobId), "The driver job is never superseded.");
        forget(jobId);
    }

    private void forget(JobID jobId) {
        if (!terminalStatuses.containsKey(jobId)) {
            priorities.remove(jobId);
            cancellationRequested.remove(jobId);
            // It may have been the last NORMAL job the ended driver was waiting for.
            decide();
        }
    }

    /**
     * As {@link #jobTerminated(JobID, JobStatus)}; a FAILED driver job's cause becomes the
     * application's failure cause, unless an earlier failure is that already.
     */
    public void jobTerminated(JobID jobId, JobStatus status, @Nullable Throwable cause) {
        if (jobId.equals(driverJobId) && status == JobStatus.FAILED) {
            recordFailure(cause);
        }
        jobTerminated(jobId, status);
    }

    /** Records that a job reached a globally terminal state; later reports are ignored. */
    public void jobTerminated(JobID jobId, JobStatus status) {
        checkArgument(status.isGloballyTerminalState(), "%s is not globally terminal.", status);
        if (!priorities.containsKey(jobId) || terminalStatuses.containsKey(jobId)) {
            return;
        }
        terminalStatuses.put(jobId, status);
        decide();
    }

    /** The application was cancelled from outside: the outcome is CANCELED. */
    public void applicationCancelled() {
        if (outcome == null) {
            outcome = ApplicationOutcome.CANCELED;
        }
    }

    /**
     * The driver job is being cancelled from outside (its task may take a while to stop, and main()
     * runs on until it does): the outcome is CANCELED from now on, and the driver's own
     * cancellation is under way already.
     *
     * @return false when this changes nothing: the outcome is decided (the dispatcher's own
     *     cancellation), a stop decides it, or the driver job has ended or was never submitted
     */
    public boolean driverCancellationRequested() {
        if (outcome != null
                || stopping
                || !driverSubmitted
                || terminalStatuses.containsKey(driverJobId)) {
            return false;
        }
        outcome = ApplicationOutcome.CANCELED;
        cancellationRequested.add(driverJobId);
        return true;
    }

    /** The application broke a rule while its driver still runs: the outcome is FAILED. */
    public void applicationFailed(Throwable cause) {
        recordFailure(checkNotNull(cause));
        if (outcome == null) {
            outcome = ApplicationOutcome.FAILED;
        }
    }

    /**
     * {@code flink-driver stop}: the application's jobs are about to be stopped with savepoints.
     * From now on the application takes no new jobs, and what the driver or the stopped jobs do
     * decides nothing: the stop decides the outcome.
     *
     * @return why the application cannot be stopped now; empty if the stop may start
     */
    public Optional<String> stopRequested() {
        if (outcome != null) {
            return Optional.of("it is ending (" + outcome + ")");
        }
        if (stopping) {
            return Optional.of("it is being stopped already");
        }
        stopping = true;
        return Optional.empty();
    }

    /** A stop runs: the application takes no new jobs. */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * Every job was stopped with its savepoint: the application SUCCEEDED, whatever its driver did
     * meanwhile or does next; what still runs (the driver) is to be cancelled.
     */
    public void stopCompleted(String applicationSavepoint) {
        stopping = false;
        stoppedWith = checkNotNull(applicationSavepoint);
        if (outcome == null) {
            outcome = ApplicationOutcome.SUCCEEDED;
        }
    }

    /** The stop failed before any job was stopped: the application goes on as before. */
    public void stopFailed() {
        stopping = false;
        decide();
    }

    /** The application savepoint the application was stopped with, if it was. */
    public Optional<String> getStoppedWith() {
        return Optional.ofNullable(stoppedWith);
    }

    private void recordFailure(@Nullable Throwable cause) {
        if (failureCause == null) {
            failureCause = cause;
        }
    }

    public Optional<ApplicationOutcome> getOutcome() {
        return Optional.ofNullable(outcome);
    }

    /** Why the application failed; null unless the outcome is FAILED, or when nothing said why. */
    @Nullable
    public Throwable getFailureCause() {
        return outcome == ApplicationOutcome.FAILED ? failureCause : null;
    }

    public boolean isTracked(JobID jobId) {
        return priorities.containsKey(jobId);
    }

    public boolean isTerminal(JobID jobId) {
        return terminalStatuses.containsKey(jobId);
    }

    /**
     * Once the outcome is decided: the jobs that still run and have not been asked to cancel yet.
     * Each job is handed out once.
     */
    public Set<JobID> takeJobsToCancel() {
        Set<JobID> toCancel = new LinkedHashSet<>();
        if (outcome == null) {
            return toCancel;
        }
        for (JobID jobId : priorities.keySet()) {
            if (!terminalStatuses.containsKey(jobId) && cancellationRequested.add(jobId)) {
                toCancel.add(jobId);
            }
        }
        return toCancel;
    }

    /** The outcome is decided and no job is pending or running any more. */
    public boolean isReadyToShutDown() {
        return outcome != null && terminalStatuses.keySet().containsAll(priorities.keySet());
    }

    /**
     * True once, the first time it is asked when the cluster is {@link #isReadyToShutDown ready to
     * shut down}: the shut-down happens once.
     */
    public boolean startShutDown() {
        if (shutDownStarted || !isReadyToShutDown()) {
            return false;
        }
        shutDownStarted = true;
        return true;
    }

    /** The shut-down has started: nothing is decided or done any more. */
    public boolean isShuttingDown() {
        return shutDownStarted;
    }

    /** The NORMAL jobs known, in submission order, each with whether it has ended. */
    public Map<JobID, Boolean> normalJobsEnded() {
        Map<JobID, Boolean> jobs = new LinkedHashMap<>();
        for (Map.Entry<JobID, LivingPriority> entry : priorities.entrySet()) {
            if (entry.getValue() == LivingPriority.NORMAL) {
                jobs.put(entry.getKey(), terminalStatuses.containsKey(entry.getKey()));
            }
        }
        return jobs;
    }

    /** main() runs and the application takes new jobs: more work may come. */
    public boolean mayStillSubmit() {
        return outcome == null && !stopping && !terminalStatuses.containsKey(driverJobId);
    }

    /** How the jobs other than the driver job ended. */
    public JobCounts getJobCounts() {
        int finished = 0;
        int failed = 0;
        int cancelled = 0;
        for (Map.Entry<JobID, JobStatus> entry : terminalStatuses.entrySet()) {
            if (entry.getKey().equals(driverJobId)) {
                continue;
            }
            switch (entry.getValue()) {
                case FINISHED:
                    finished++;
                    break;
                case CANCELED:
                    cancelled++;
                    break;
                default:
                    failed++;
            }
        }
        return new JobCounts(finished, failed, cancelled);
    }

    private void decide() {
        if (outcome != null || stopping) {
            return;
        }
        JobStatus driverStatus = terminalStatuses.get(driverJobId);
        if (driverStatus == null) {
            return;
        }
        ApplicationOutcome driverOutcome = ApplicationOutcome.ofDriverJobStatus(driverStatus);
        if (driverOutcome != ApplicationOutcome.SUCCEEDED || !hasLivingNormalJob()) {
            outcome = driverOutcome;
        }
    }

    private boolean hasLivingNormalJob() {
        for (Map.Entry<JobID, LivingPriority> entry : priorities.entrySet()) {
            if (entry.getValue() == LivingPriority.NORMAL
                    && !terminalStatuses.containsKey(entry.getKey())) {
                return true;
            }
        }
        return false;
    }
}
