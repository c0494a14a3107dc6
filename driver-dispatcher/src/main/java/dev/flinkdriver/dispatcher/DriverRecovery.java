package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DispatcherEndpoint;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobIds;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.graph.ExecutionPlan;

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
 * recovered; the {@link DriverDispatcher} acts on it.
 */
final class DriverRecovery {

    /** Positions searched for a finished job's id: far more jobs than main() plausibly submits. */
    static final int MAX_POSITION = 10_000;

    /** Driver attempts searched for the id of a job whose rows went to main(). */
    static final int MAX_DRIVER_ATTEMPT = 20;

    private final ApplicationID applicationId;

    private final JobID driverJobId;

    private final int jobManagerAttempt;

    private final Map<JobID, ExecutionPlan> suspended = new LinkedHashMap<>();

    private final Map<JobID, JobResult> ended = new LinkedHashMap<>();

    DriverRecovery(
            ApplicationID applicationId,
            JobID driverJobId,
            int jobManagerAttempt,
            Collection<ExecutionPlan> recoveredJobs,
            Collection<JobResult> recoveredDirtyJobResults) {
        this.applicationId = applicationId;
        this.driverJobId = driverJobId;
        this.jobManagerAttempt = jobManagerAttempt;
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
        return new DriverRecovery(applicationId, driverJobId, 1, List.of(), List.of());
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

    /**
     * Tells the recovered driver job which JobManager attempt and which dispatcher run it: the plan
     * high availability kept carries the first JobManager's, and the restarted main() derives the
     * ids of the jobs that collect rows to it from this one ({@link DriverJobIds#ofRerun}) and
     * submits its jobs to this dispatcher. The plan object is the one Flink's dispatcher recovers,
     * so this must happen before the dispatcher runs it.
     */
    void markDriverJob(DispatcherEndpoint dispatcher) {
        suspendedDriverJob()
                .ifPresent(
                        plan -> {
                            Configuration configuration = plan.getJobConfiguration();
                            configuration.set(
                                    DriverInternalOptions.JOBMANAGER_ATTEMPT, jobManagerAttempt);
                            dispatcher.writeTo(configuration);
                        });
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

    /** The result HA kept for an ended job. */
    Optional<JobResult> resultOf(JobID jobId) {
        return Optional.ofNullable(ended.get(jobId));
    }

    /** Where main() submitted an ended job; its result carries no job configuration. */
    OptionalInt positionOf(JobResult result) {
        return DriverJobIds.positionOf(
                applicationId,
                result.getJobId(),
                MAX_POSITION,
                jobManagerAttempt,
                MAX_DRIVER_ATTEMPT);
    }

    Map<JobID, JobResult> endedJobs() {
        return Collections.unmodifiableMap(ended);
    }
}
