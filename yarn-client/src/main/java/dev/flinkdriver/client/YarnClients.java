package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.Utils;

import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

/** The YARN client of the status commands, and what they share in reading YARN. */
final class YarnClients {

    private YarnClients() {}

    static YarnClient start(Configuration flinkConfig) {
        return start(configuration(flinkConfig));
    }

    static YarnClient start(YarnConfiguration configuration) {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(configuration);
        yarn.start();
        return yarn;
    }

    /**
     * The client's YARN configuration, with a ResourceManager that does not answer given up on
     * after {@link DriverClientOptions#CONNECT_TIMEOUT} instead of Hadoop's retries for minutes: a
     * command line tool should say within seconds that YARN cannot be reached. Keys the Hadoop
     * configuration sets itself are left alone. A submission's wait for YARN to take the
     * application in polls every {@link DriverClientOptions#SUBMISSION_POLL_INTERVAL}.
     */
    static YarnConfiguration configuration(Configuration flinkConfig) {
        YarnConfiguration conf = Utils.getYarnAndHadoopConfiguration(flinkConfig);
        long timeout = Math.max(1, flinkConfig.get(DriverClientOptions.CONNECT_TIMEOUT).toMillis());
        setUnlessConfigured(conf, YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, timeout);
        setUnlessConfigured(
                conf,
                YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS,
                Math.min(1_000, timeout));
        // Each ResourceManager connect attempt would otherwise retry on its own (10 times a
        // second apart, 45 times on a connect timeout of 20 s) inside every retry above.
        setUnlessConfigured(
                conf, CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_TIMEOUT_KEY, timeout);
        setUnlessConfigured(
                conf, CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_KEY, 0);
        setUnlessConfigured(
                conf,
                CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_ON_SOCKET_TIMEOUTS_KEY,
                0);
        // Hadoop falls back to the client's general poll interval when the submission's is unset.
        if (fromDefaults(
                conf, YarnConfiguration.YARN_CLIENT_APPLICATION_CLIENT_PROTOCOL_POLL_INTERVAL_MS)) {
            setUnlessConfigured(
                    conf,
                    YarnConfiguration.YARN_CLIENT_APP_SUBMISSION_POLL_INTERVAL_MS,
                    Math.max(
                            1,
                            flinkConfig
                                    .get(DriverClientOptions.SUBMISSION_POLL_INTERVAL)
                                    .toMillis()));
        }
        return conf;
    }

    private static void setUnlessConfigured(YarnConfiguration conf, String key, long value) {
        if (fromDefaults(conf, key)) {
            conf.setLong(key, value);
        }
    }

    private static boolean fromDefaults(YarnConfiguration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        return sources == null
                || sources.length == 0
                || sources[sources.length - 1].endsWith("-default.xml");
    }

    static ApplicationId parseId(String id) throws CliException {
        try {
            return ApplicationId.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Not a YARN application id: " + id);
        }
    }

    static ApplicationReport report(YarnClient yarn, ApplicationId id) throws Exception {
        try {
            return yarn.getApplicationReport(id);
        } catch (ApplicationNotFoundException e) {
            throw CliException.usage("YARN knows no application " + id);
        }
    }
}
