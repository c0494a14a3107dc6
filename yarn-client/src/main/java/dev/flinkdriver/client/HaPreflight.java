package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

/**
 * Checks the high-availability settings of a new driver application before anything is deployed. A
 * second YARN attempt without HA would run every job again (nothing of the first JobManager
 * survives), so driver mode refuses it unless {@link DriverHaOptions#ALLOW_RERUNS_WITHOUT_HA} says
 * the user wants exactly that; ZooKeeper HA without a quorum would only fail in the
 * ApplicationMaster, after the client left.
 */
final class HaPreflight {

    static final String HOW_TO_TURN_HA_ON =
            "-yD high-availability.type=zookeeper -yD high-availability.zookeeper.quorum=<host:port>";

    private HaPreflight() {}

    static void check(Configuration conf) throws CliException {
        boolean ha = HighAvailabilityMode.isHighAvailabilityModeActivated(conf);
        int attempts = attempts(conf);
        if (!ha && attempts > 1 && !conf.get(DriverHaOptions.ALLOW_RERUNS_WITHOUT_HA)) {
            throw CliException.usage(
                    YarnConfigOptions.APPLICATION_ATTEMPTS.key()
                            + "="
                            + attempts
                            + " without high availability would run main() and every job again"
                            + " on YARN's next attempt; turn HA on ("
                            + HOW_TO_TURN_HA_ON
                            + ") or set "
                            + DriverHaOptions.ALLOW_RERUNS_WITHOUT_HA.key()
                            + "=true to accept reruns");
        }
        if (ha
                && HighAvailabilityMode.fromConfig(conf) == HighAvailabilityMode.ZOOKEEPER
                && isBlank(conf.get(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM))) {
            throw CliException.usage(
                    "high-availability.type: zookeeper needs "
                            + HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM.key()
                            + " (host:port,...; bin/local-yarn prints ZOOKEEPER_QUORUM)");
        }
    }

    /** As Flink's YARN deployment reads it: 1 without HA, YARN's default (2) with HA. */
    private static int attempts(Configuration conf) {
        return conf.getOptional(YarnConfigOptions.APPLICATION_ATTEMPTS)
                .orElse(HighAvailabilityMode.isHighAvailabilityModeActivated(conf) ? 2 : 1);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
