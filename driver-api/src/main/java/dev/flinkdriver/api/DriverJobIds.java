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
        return nameBased(applicationId.toHexString() + "/job/" + position, (long) position << 32);
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
        // The first JobManager's hashed names are the ones driver failover has always hashed, and
        // the first leadership's the ones JobManager failover has.
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
                        + driverAttempt,
                (long) position << 32
                        | (jobManagerAttempt & 0xFFL) << 24
                        | (leadership & 0xFFFL) << 12
                        | (driverAttempt & 0xFFFL));
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
     * The position of a job main() submitted, read from its id alone (a recovered job result
     * carries no job configuration); empty for a job of another origin, and for a rerun whose
     * JobManager attempt, leadership or driver attempt exceeds what an id holds (255, 4095, 4095).
     */
    public static OptionalInt positionOf(ApplicationID applicationId, JobID jobId) {
        long described = jobId.getUpperPart();
        int position = (int) (described >>> 32);
        int jobManagerAttempt = (int) (described >>> 24) & 0xFF;
        int leadership = (int) (described >>> 12) & 0xFFF;
        int driverAttempt = (int) described & 0xFFF;
        if (position <= 0 || (jobManagerAttempt > 0) != (leadership > 0)) {
            return OptionalInt.empty();
        }
        JobID expected =
                jobManagerAttempt == 0
                        ? ofPosition(applicationId, position)
                        : ofRerun(
                                applicationId,
                                position,
                                jobManagerAttempt,
                                leadership,
                                driverAttempt);
        return expected.equals(jobId) ? OptionalInt.of(position) : OptionalInt.empty();
    }

    /**
     * An id whose first half (as Flink prints it) is a hash of {@code name}, unique to the job, and
     * whose second half is {@code described}: what {@link #positionOf} reads back.
     */
    private static JobID nameBased(String name, long described) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits(), described);
    }
}
