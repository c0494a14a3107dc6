package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.graph.ExecutionPlan;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What high availability kept of the driver application when the JobManager was lost, as Flink's
 * dispatcher leader process hands it to a new dispatcher: the execution plans of the jobs that
 * still ran (suspended, to be recovered) and the results of the jobs that had ended (dirty: the
 * application had not ended yet). Empty on a first start.
 *
 * <p>Flink's application mode (a dispatcher started with an {@code ApplicationBootstrap}) never
 * persists the bootstrapped application itself: the new dispatcher builds it again, and it is the
 * application that must {@code recoverJob} each suspended job. This class only sorts what was
 * recovered and replays it into the dispatcher's bookkeeping; the {@link DriverDispatcher} acts on
 * it.
 */
final class DriverRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRecovery.class);

    private final ApplicationID applicationId;

    private final JobID driverJobId;

    private final int jobManagerAttempt;

    private final int leadership;

    private final Map<JobID, ExecutionPlan> suspended = new LinkedHashMap<>();

    private final Map<JobID, JobResult> ended = new LinkedHashMap<>();

    DriverRecovery(
            ApplicationID applicationId,
            JobID driverJobId,
            int jobManagerAttempt,
            int leadership,
            Collection<ExecutionPlan> recoveredJobs,
            Collection<JobResult> recoveredDirtyJobResults) {
        this.applicationId = applicationId;
        this.driverJobId = driverJobId;
        this.jobManagerAttempt = jobManagerAttempt;
        this.leadership = leadership;
        for (ExecutionPlan plan : recoveredJobs) {
            if (plan.getApplicationId().map(applicationId::equals).orElse(false)) {
                suspended.put(plan.getJobID(), plan);
            }
        }
        for (JobResult result : recoveredDirtyJobResults) {
            if (result.getApplicationId().map(applicationId::equals).orElse(false)) {
                ended.put(result.getJobId(), result);
            }
        }
    }

    static DriverRecovery none(ApplicationID applicationId, JobID driverJobId) {
        return new DriverRecovery(applicationId, driverJobId, 1, 1, List.of(), List.of());
    }

    /** Something of an earlier JobManager was recovered: this is a JobManager failover. */
    boolean isRecovery() {
        return !suspended.isEmpty() || !ended.isEmpty();
    }

    /** The driver job was running: it is recovered, not submitted anew. */
    boolean isDriverSuspended() {
        return suspended.containsKey(driverJobId);
    }

    /** The driver job had ended already (main() returned or failed). */
    Optional<JobResult> driverResult() {
        return Optional.ofNullable(ended.get(driverJobId));
    }

    /** The driver job exists already, running or ended: it must not be submitted again. */
    boolean hasDriverJob() {
        return isDriverSuspended() || driverResult().isPresent();
    }

    /** Jobs main() submitted that were still running, in no particular order. */
    List<ExecutionPlan> suspendedUserJobs() {
        List<ExecutionPlan> jobs = new ArrayList<>();
        suspended.forEach(
                (id, plan) -> {
                    if (!id.equals(driverJobId)) {
                        jobs.add(plan);
                    }
                });
        return jobs;
    }

    Optional<ExecutionPlan> suspendedDriverJob() {
        return Optional.ofNullable(suspended.get(driverJobId));
    }

    /** Jobs main() submitted that had ended, with their results (accumulators included). */
    List<JobResult> endedUserJobs() {
        List<JobResult> jobs = new ArrayList<>();
        ended.forEach(
                (id, result) -> {
                    if (!id.equals(driverJobId)) {
                        jobs.add(result);
                    }
                });
        return jobs;
    }

    /**
     * Replays what high availability kept into the bookkeeping of this JobManager: the living
     * priorities of the jobs and the positions main() submitted them at. Every job is registered
     * before any is marked ended: an ended driver with no NORMAL job known yet would end the
     * application at once. Nothing on a first start.
     *
     * @return the jobs to recover and follow: the jobs that still ran, then the driver job if it
     *     still ran (recovered from their latest completed checkpoints, Flink's own job recovery).
     *     Jobs that had ended are never run again: a restarted main() that submits one is answered
     *     with its result.
     */
    List<ExecutionPlan> replayInto(LivingPriorityTracker tracker, DriverJobPositions positions) {
        if (!isRecovery()) {
            return List.of();
        }
        List<ExecutionPlan> running = suspendedUserJobs();
        List<JobResult> endedJobResults = endedUserJobs();
        LOG.info(
                "JobManager attempt {} (leadership {}) recovers driver application {}: driver job"
                        + " {}, {} running jobs, {} ended jobs.",
                jobManagerAttempt,
                leadership,
                applicationId,
                isDriverSuspended() ? "running" : driverResult().isPresent() ? "ended" : "missing",
                running.size(),
                endedJobResults.size());

        for (ExecutionPlan plan : running) {
            DriverJobMarkers.position(plan.getJobConfiguration())
                    .ifPresent(
                            position ->
                                    positions.submitted(
                                            position,
                                            plan.getJobID(),
                                            plan.getName(),
                                            DriverJobMarkers.jobName(plan.getJobConfiguration())
                                                    .orElse(plan.getName())));
            tracker.jobSubmitted(
                    plan.getJobID(), LivingPriority.ofSubmittedJob(plan.getJobConfiguration()));
        }
        for (JobResult result : endedJobResults) {
            positionOf(result)
                    .ifPresent(
                            position ->
                                    positions.submitted(
                                            position, result.getJobId(), result.getJobName()));
            tracker.jobSubmitted(result.getJobId(), LivingPriority.NORMAL);
        }
        for (JobResult result : endedJobResults) {
            tracker.jobTerminated(result.getJobId(), statusOf(result));
        }
        driverResult()
                .ifPresent(
                        result -> {
                            tracker.driverJobSubmitted();
                            tracker.jobTerminated(
                                    driverJobId,
                                    statusOf(result),
                                    result.getSerializedThrowable().orElse(null));
                        });

        List<ExecutionPlan> toRecover = new ArrayList<>(running);
        suspendedDriverJob()
                .ifPresent(
                        plan -> {
                            tracker.driverJobSubmitted();
                            toRecover.add(plan);
                        });
        return toRecover;
    }

    /** A result without a status is one of a job that failed. */
    static JobStatus statusOf(JobResult result) {
        return result.getJobStatus().orElse(JobStatus.FAILED);
    }

    /** The result HA kept for an ended job. */
    Optional<JobResult> resultOf(JobID jobId) {
        return Optional.ofNullable(ended.get(jobId));
    }

    /**
     * Where main() submitted an ended job; its result carries no job configuration, its id says it.
     * A rerun whose id tells no position only loses it: the next rerun at that position runs as a
     * new job, which it does anyway.
     */
    OptionalInt positionOf(JobResult result) {
        return DriverJobIds.positionOf(applicationId, result.getJobId());
    }

    Map<JobID, JobResult> endedJobs() {
        return Collections.unmodifiableMap(ended);
    }
}
