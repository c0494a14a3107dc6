package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.Utils;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

/** The YARN client of the status commands, and what they share in reading YARN. */
final class YarnClients {

    private YarnClients() {}

    static YarnClient start(Configuration flinkConfig) {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(Utils.getYarnAndHadoopConfiguration(flinkConfig));
        yarn.start();
        return yarn;
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
