package dev.flinkdriver.api;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.UUID;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Ids of the jobs main() submits, derived from the application and the job's position, so that a
 * restarted driver submits its n-th job under the id the earlier attempt used. Flink's dispatcher
 * then knows the job, and nothing runs twice.
 */
public final class DriverJobIds {

    private DriverJobIds() {}

    /** The id of the job at {@code position} (1 for the first job main() submits). */
    public static JobID ofPosition(ApplicationID applicationId, int position) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        return nameBased(applicationId.toHexString() + "/job/" + position);
    }

    /**
     * The id of a job whose rows main() reads, which every driver attempt runs again: one id per
     * position, JobManager attempt and driver attempt. Driver attempts count from 0 again under a
     * new JobManager (the recovered driver job is a new execution graph), so without the
     * JobManager's attempt a rerun after a JobManager failover would get the id of the first
     * JobManager's run, and be answered with that run's result instead of running.
     *
     * @param jobManagerAttempt the YARN attempt of the JobManager, 1 for the first
     * @param driverAttempt the driver task's attempt under that JobManager, 0 for the first
     */
    public static JobID ofRerun(
            ApplicationID applicationId, int position, int jobManagerAttempt, int driverAttempt) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        checkArgument(
                jobManagerAttempt > 0, "JobManager attempts start at 1: %s", jobManagerAttempt);
        // The first JobManager's ids are the ones driver failover has always used.
        String jobManager = jobManagerAttempt == 1 ? "" : "/jobmanager/" + jobManagerAttempt;
        return nameBased(
                applicationId.toHexString()
                        + "/job/"
                        + position
                        + jobManager
                        + "/attempt/"
                        + driverAttempt);
    }

    /** {@link #ofRerun(ApplicationID, int, int, int)} under the first JobManager. */
    public static JobID ofRerun(ApplicationID applicationId, int position, int driverAttempt) {
        return ofRerun(applicationId, position, 1, driverAttempt);
    }

    /**
     * The position of a job main() submitted, found from its id alone (a recovered job result
     * carries no job configuration); empty for a job of another origin. Rerun ids are searched up
     * to {@code maxJobManagerAttempt} and {@code maxDriverAttempt}.
     */
    public static OptionalInt positionOf(
            ApplicationID applicationId,
            JobID jobId,
            int maxPosition,
            int maxJobManagerAttempt,
            int maxDriverAttempt) {
        for (int position = 1; position <= maxPosition; position++) {
            if (ofPosition(applicationId, position).equals(jobId)) {
                return OptionalInt.of(position);
            }
            for (int jobManager = 1; jobManager <= maxJobManagerAttempt; jobManager++) {
                for (int attempt = 0; attempt <= maxDriverAttempt; attempt++) {
                    if (ofRerun(applicationId, position, jobManager, attempt).equals(jobId)) {
                        return OptionalInt.of(position);
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    private static JobID nameBased(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }
}
