package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.Utils;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

/** The YARN client of the status commands, and what they share in reading YARN. */
final class YarnClients {

    private YarnClients() {}

    static YarnClient start(Configuration flinkConfig) {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(configuration(flinkConfig));
        yarn.start();
        return yarn;
    }

    /**
     * The client's YARN configuration. Unless configured otherwise, a ResourceManager that does not
     * answer is given up on after 20 s instead of YARN's 15 minutes: a CLI should say so.
     */
    static YarnConfiguration configuration(Configuration flinkConfig) {
        YarnConfiguration conf = Utils.getYarnAndHadoopConfiguration(flinkConfig);
        if (conf.get(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS) == null
                || isDefault(conf, YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS)) {
            conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 20_000);
            conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 2_000);
        }
        return conf;
    }

    private static boolean isDefault(YarnConfiguration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        return sources == null
                || sources.length == 0
                || sources[sources.length - 1].equals("yarn-default.xml");
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
