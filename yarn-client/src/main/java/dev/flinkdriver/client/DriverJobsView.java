package dev.flinkdriver.client;

import dev.flinkdriver.api.LivingPriority;
import dev.flinkdriver.driver.DriverJobDecorator;
import dev.flinkdriver.entrypoint.DriverApplicationIds;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The jobs of a running driver application as {@code status} and {@code cancel} see them. The
 * driver job is known by its id, which follows from the YARN application id; DAEMON jobs carry the
 * mark the driver put in their names (their living priority is in no REST response).
 */
final class DriverJobsView {

    /** One job as status shows it. */
    record Job(
            JobID id,
            String name,
            String state,
            LivingPriority priority,
            long startMillis,
            long durationMillis,
            @Nullable String restoredFrom) {

        boolean isDriver() {
            return priority == LivingPriority.DRIVER;
        }

        /**
         * @param checkpoints the job's {@code /jobs/<id>/checkpoints}, if it has any
         */
        Job withCheckpoints(Optional<JsonNode> checkpoints) {
            return new Job(
                    id,
                    name,
                    state,
                    priority,
                    startMillis,
                    durationMillis,
                    checkpoints.flatMap(DriverJobsView::restoredFrom).orElse(null));
        }
    }

    /**
     * The savepoint (or checkpoint) a job restored from, as Flink's checkpoint statistics report
     * it: the one of its start, unless the job restored from a checkpoint of its own since.
     */
    static Optional<String> restoredFrom(JsonNode checkpoints) {
        JsonNode path = checkpoints.path("latest").path("restored").path("external_path");
        return path.isTextual() && !path.asText().isBlank()
                ? Optional.of(path.asText())
                : Optional.empty();
    }

    private DriverJobsView() {}

    static LivingPriority priority(JobID job, String jobName, JobID driverJob) {
        if (job.equals(driverJob)) {
            return LivingPriority.DRIVER;
        }
        return jobName.contains(DriverJobDecorator.DAEMON_MARK)
                ? LivingPriority.DAEMON
                : LivingPriority.NORMAL;
    }

    static List<Job> of(ApplicationId application, Collection<JobDetails> jobs) {
        JobID driverJob = DriverApplicationIds.driverJobOf(application);
        return jobs.stream()
                .map(
                        j ->
                                new Job(
                                        j.getJobId(),
                                        j.getJobName(),
                                        j.getStatus().name(),
                                        priority(j.getJobId(), j.getJobName(), driverJob),
                                        j.getStartTime(),
                                        j.getDuration(),
                                        null))
                .sorted(Comparator.comparingLong(Job::startMillis))
                .toList();
    }
}
