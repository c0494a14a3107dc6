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
     * position, JobManager attempt, leadership and driver attempt. Driver attempts count from 0
     * again whenever a dispatcher recovers the driver job (a new execution graph): under a new
     * JobManager, and under the same JobManager once it regained the leadership it lost with its
     * ZooKeeper session. Without both, such a rerun would get the id of an earlier run, and be
     * answered with that run's result instead of running.
     *
     * @param jobManagerAttempt the YARN attempt of the JobManager, 1 for the first
     * @param leadership the leadership of that JobManager's process, 1 for the first
     * @param driverAttempt the driver task's attempt under that leadership, 0 for the first
     */
    public static JobID ofRerun(
            ApplicationID applicationId,
            int position,
            int jobManagerAttempt,
            int leadership,
            int driverAttempt) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        checkArgument(
                jobManagerAttempt > 0, "JobManager attempts start at 1: %s", jobManagerAttempt);
        checkArgument(leadership > 0, "Leaderships start at 1: %s", leadership);
        // The first JobManager's ids are the ones driver failover has always used, and the first
        // leadership's the ones JobManager failover has.
        String jobManager =
                jobManagerAttempt == 1 && leadership == 1
                        ? ""
                        : "/jobmanager/"
                                + jobManagerAttempt
                                + (leadership == 1 ? "" : "/leadership/" + leadership);
        return nameBased(
                applicationId.toHexString()
                        + "/job/"
                        + position
                        + jobManager
                        + "/attempt/"
                        + driverAttempt);
    }

    /**
     * {@link #ofRerun(ApplicationID, int, int, int, int)} under a JobManager's first leadership.
     */
    public static JobID ofRerun(
            ApplicationID applicationId, int position, int jobManagerAttempt, int driverAttempt) {
        return ofRerun(applicationId, position, jobManagerAttempt, 1, driverAttempt);
    }

    /** {@link #ofRerun(ApplicationID, int, int, int, int)} under the first JobManager. */
    public static JobID ofRerun(ApplicationID applicationId, int position, int driverAttempt) {
        return ofRerun(applicationId, position, 1, 1, driverAttempt);
    }

    /**
     * The position of a job main() submitted, found from its id alone (a recovered job result
     * carries no job configuration); empty for a job of another origin. Rerun ids are searched up
     * to {@code maxJobManagerAttempt}, {@code maxLeadership} and {@code maxDriverAttempt}, after
     * the ids of jobs that run once (the common case, and cheap).
     */
    public static OptionalInt positionOf(
            ApplicationID applicationId,
            JobID jobId,
            int maxPosition,
            int maxJobManagerAttempt,
            int maxLeadership,
            int maxDriverAttempt) {
        for (int position = 1; position <= maxPosition; position++) {
            if (ofPosition(applicationId, position).equals(jobId)) {
                return OptionalInt.of(position);
            }
        }
        for (int position = 1; position <= maxPosition; position++) {
            for (int jobManager = 1; jobManager <= maxJobManagerAttempt; jobManager++) {
                for (int leadership = 1; leadership <= maxLeadership; leadership++) {
                    for (int attempt = 0; attempt <= maxDriverAttempt; attempt++) {
                        if (ofRerun(applicationId, position, jobManager, leadership, attempt)
                                .equals(jobId)) {
                            return OptionalInt.of(position);
                        }
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /** {@link #positionOf(ApplicationID, JobID, int, int, int, int)} for first leaderships. */
    public static OptionalInt positionOf(
            ApplicationID applicationId,
            JobID jobId,
            int maxPosition,
            int maxJobManagerAttempt,
            int maxDriverAttempt) {
        return positionOf(
                applicationId, jobId, maxPosition, maxJobManagerAttempt, 1, maxDriverAttempt);
    }

    private static JobID nameBased(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }
}
