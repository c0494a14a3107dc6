package dev.flinkdriver.dispatcher;

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
     * position and attempt.
     */
    public static JobID ofRerun(ApplicationID applicationId, int position, int driverAttempt) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        return nameBased(
                applicationId.toHexString() + "/job/" + position + "/attempt/" + driverAttempt);
    }

    /**
     * The position of a job main() submitted, found from its id alone (a recovered job result
     * carries no job configuration); empty for a job of another origin. Rerun ids are searched up
     * to {@code maxDriverAttempt}.
     */
    public static OptionalInt positionOf(
            ApplicationID applicationId, JobID jobId, int maxPosition, int maxDriverAttempt) {
        for (int position = 1; position <= maxPosition; position++) {
            if (ofPosition(applicationId, position).equals(jobId)) {
                return OptionalInt.of(position);
            }
            for (int attempt = 0; attempt <= maxDriverAttempt; attempt++) {
                if (ofRerun(applicationId, position, attempt).equals(jobId)) {
                    return OptionalInt.of(position);
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
