package dev.flinkdriver.entrypoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.yarn.YarnConfigKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Gives a driver application with high availability but no {@code high-availability.storageDir}
 * one: {@code ha/} in the application's staging directory on the cluster file system. Only the
 * ApplicationMaster knows that directory (YARN names it after the application id, which the client
 * learns only while deploying); the TaskManagers inherit the setting from the AM's configuration.
 * Flink's YARN resource manager deletes the staging directory when the application ends, so the HA
 * data goes with it.
 */
final class HaStorageDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(HaStorageDefaults.class);

    private HaStorageDefaults() {}

    static Configuration apply(Configuration configuration, Map<String, String> env) {
        if (!HighAvailabilityMode.isHighAvailabilityModeActivated(configuration)
                || configuration.contains(HighAvailabilityOptions.HA_STORAGE_PATH)) {
            return configuration;
        }
        String stagingDir = env.get(YarnConfigKeys.FLINK_YARN_FILES);
        if (stagingDir == null || stagingDir.isBlank()) {
            LOG.warn(
                    "High availability is on without {} and YARN gave no staging directory;"
                            + " Flink will refuse to start.",
                    HighAvailabilityOptions.HA_STORAGE_PATH.key());
            return configuration;
        }
        String storageDir = stagingDir.replaceAll("/+$", "") + "/ha";
        LOG.info(
                "{} is not set: HA data goes to the application's staging directory, {}.",
                HighAvailabilityOptions.HA_STORAGE_PATH.key(),
                storageDir);
        configuration.set(HighAvailabilityOptions.HA_STORAGE_PATH, storageDir);
        return configuration;
    }
}
