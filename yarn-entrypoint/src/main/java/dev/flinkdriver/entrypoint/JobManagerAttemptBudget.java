package dev.flinkdriver.entrypoint;

import dev.flinkdriver.api.DriverDiagnosticsFormat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a YARN attempt of a driver application is one more than the user's {@code
 * yarn.application-attempts}: the closing attempt the client asks YARN for, which starts no
 * JobManager and only ends the application with diagnostics saying that the JobManager was lost. A
 * dead ApplicationMaster cannot write diagnostics; without the closing attempt YARN would only say
 * "exitCode: 137".
 *
 * <p>The attempt number alone does not tell: with high availability Flink sets YARN's failure
 * validity interval, and YARN then counts only the lost attempts that ended within it of the latest
 * loss (and never the ones preempted or aborted). This class counts them the way YARN's
 * ResourceManager did when it started this attempt.
 */
final class JobManagerAttemptBudget {

    /** An earlier attempt of this application, as YARN reports it. */
    record LostAttempt(int attempt, long finishTime, @Nullable String diagnostics) {}

    private static final Pattern EXIT_CODE = Pattern.compile("exitCode:\\s*(-?\\d+)");

    /**
     * Exit statuses YARN does not count towards the attempts (RMAppAttemptImpl's
     * shouldCountTowardsMaxAttemptRetry).
     */
    private static final Set<Integer> NOT_COUNTED =
            Set.of(
                    ContainerExitStatus.ABORTED,
                    ContainerExitStatus.DISKS_FAILED,
                    ContainerExitStatus.PREEMPTED,
                    ContainerExitStatus.KILLED_BY_RESOURCEMANAGER);

    private final boolean highAvailability;
    private final int attempts;
    private final long validityIntervalMillis;

    JobManagerAttemptBudget(boolean highAvailability, int attempts, long validityIntervalMillis) {
        this.highAvailability = highAvailability;
        this.attempts = attempts;
        this.validityIntervalMillis = validityIntervalMillis;
    }

    /** The budget as Flink's YARN deployment sets it from the application's configuration. */
    static JobManagerAttemptBudget of(Configuration configuration) {
        boolean ha = HighAvailabilityMode.isHighAvailabilityModeActivated(configuration);
        return new JobManagerAttemptBudget(
                ha,
                configuration
                        .getOptional(YarnConfigOptions.APPLICATION_ATTEMPTS)
                        .orElse(ha ? YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS : 1),
                // Flink sets the interval only with HA; YARN's default counts every failure.
                ha
                        ? configuration.get(
                                YarnConfigOptions.APPLICATION_ATTEMPT_FAILURE_VALIDITY_INTERVAL)
                        : -1);
    }

    int attempts() {
        return attempts;
    }

    /**
     * The diagnostics to end the application with when attempt {@code attempt} is the closing one;
     * empty when it is one of the user's attempts and should recover the application.
     *
     * @param lost the earlier attempts, null when YARN could not be asked
     */
    Optional<String> closingDiagnostics(int attempt, @Nullable List<LostAttempt> lost) {
        if (attempt <= attempts) {
            return Optional.empty();
        }
        int counted = countedLosses(attempt, lost);
        if (counted < attempts) {
            return Optional.empty();
        }
        StringBuilder text =
                new StringBuilder(DriverDiagnosticsFormat.PREFIX + "FAILED: The JobManager");
        if (!highAvailability) {
            text.append(" (YARN attempt ")
                    .append(attempt - 1)
                    .append(" of ")
                    .append(attempts)
                    .append(") was lost");
            lastLoss(lost).ifPresent(d -> text.append(": ").append(d));
            text.append(
                    ". Without high availability the application cannot recover its jobs; set"
                            + " high-availability.type: zookeeper,"
                            + " high-availability.zookeeper.quorum and"
                            + " yarn.application-attempts: 2 to survive it.");
        } else {
            text.append(" was lost ").append(DriverDiagnosticsFormat.times(counted));
            if (validityIntervalMillis > 0) {
                text.append(" within ").append(validityIntervalMillis).append(" ms");
            }
            text.append(", the last time on YARN attempt ").append(attempt - 1);
            lastLoss(lost).ifPresent(d -> text.append(": ").append(d));
            text.append(". The attempts are spent (yarn.application-attempts: ").append(attempts);
            if (validityIntervalMillis > 0) {
                text.append(", yarn.application-attempt-failures-validity-interval: ")
                        .append(validityIntervalMillis);
            }
            text.append("); raise yarn.application-attempts to survive more.");
        }
        return Optional.of(text.toString());
    }

    /**
     * How many earlier attempts YARN counted when it started {@code attempt}: those that ended
     * within the validity interval of the latest, except the ones YARN does not count. Without the
     * reports every earlier attempt counts if YARN counts them all, and none otherwise (this
     * attempt then runs as one of the user's: a JobManager too many rather than a lost
     * application).
     */
    int countedLosses(int attempt, @Nullable List<LostAttempt> lost) {
        if (lost == null) {
            return validityIntervalMillis > 0 ? 0 : attempt - 1;
        }
        long latest = lost.stream().mapToLong(LostAttempt::finishTime).max().orElse(0);
        return (int)
                lost.stream()
                        .filter(a -> a.attempt() < attempt)
                        .filter(a -> counts(a.diagnostics()))
                        .filter(
                                a ->
                                        validityIntervalMillis <= 0
                                                || a.finishTime() <= 0
                                                || a.finishTime()
                                                        >= latest - validityIntervalMillis)
                        .count();
    }

    private static boolean counts(@Nullable String diagnostics) {
        if (diagnostics == null) {
            return true;
        }
        Matcher m = EXIT_CODE.matcher(diagnostics);
        return !m.find() || !NOT_COUNTED.contains(Integer.parseInt(m.group(1)));
    }

    /** The first line of the latest lost attempt's diagnostics, e.g. YARN's exit code line. */
    private static Optional<String> lastLoss(@Nullable List<LostAttempt> lost) {
        if (lost == null) {
            return Optional.empty();
        }
        return lost.stream()
                .max((x, y) -> Integer.compare(x.attempt(), y.attempt()))
                .map(LostAttempt::diagnostics)
                .filter(d -> !d.isBlank())
                .map(d -> d.strip().lines().findFirst().orElse("").replaceAll("\\s+", " "))
                .map(d -> d.replaceAll("[.\\s]+$", ""));
    }
}
