package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.time.Duration;

/**
 * High-availability settings for the local YARN that Flink's defaults get wrong there: a JobManager
 * failover waits for the lost JobManager's ZooKeeper session to expire, 60 s by Flink's default,
 * the largest part of a failover on the local YARN (see README, "JobManager failover"). The local
 * YARN's ZooKeeper runs on the same host as every JobManager, so a shorter session is safe there
 * unless the machine stalls for seconds. Real clusters keep Flink's default.
 */
final class LocalYarnHaDefaults {

    private LocalYarnHaDefaults() {}

    static void apply(Configuration effective, YarnConfiguration yarnConfiguration) {
        Duration timeout = effective.get(DriverHaOptions.LOCAL_YARN_ZOOKEEPER_SESSION_TIMEOUT);
        if (!HighAvailabilityMode.isHighAvailabilityModeActivated(effective)
                || !LocalYarnSite.isLocalYarn(yarnConfiguration)
                || timeout.isZero()
                || effective.contains(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT)) {
            return;
        }
        effective.set(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT, timeout);
    }
}
