package dev.flinkdriver.client;

import dev.flinkdriver.entrypoint.YarnDriverClusterEntrypoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterDescriptor;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.util.Optional;

/**
 * Flink's YARN deployment with {@link YarnDriverClusterEntrypoint} as the ApplicationMaster.
 * Flink's session deployment takes the AM class from this one overridable method; everything else
 * (lib shipping, staging, clean-up of a failed deployment) stays Flink's.
 */
final class DriverClusterDescriptor extends YarnClusterDescriptor {

    private DriverClusterDescriptor(
            Configuration flinkConfiguration,
            YarnConfiguration yarnConfiguration,
            YarnClient yarnClient) {
        super(
                flinkConfiguration,
                yarnConfiguration,
                yarnClient,
                YarnClientYarnClusterInformationRetriever.create(yarnClient),
                false);
    }

    /** A descriptor that owns its YARN client and closes it with itself. */
    static DriverClusterDescriptor create(
            Configuration flinkConfiguration, YarnConfiguration yarnConfiguration) {
        DriverYarnClient yarnClient = new DriverYarnClient(flinkConfiguration);
        yarnClient.init(yarnConfiguration);
        yarnClient.start();
        return new DriverClusterDescriptor(flinkConfiguration, yarnConfiguration, yarnClient);
    }

    /** The application this descriptor submitted, once it has. */
    Optional<ApplicationId> submittedApplication() {
        return ((DriverYarnClient) getYarnClient()).submitted();
    }

    @Override
    protected String getYarnSessionClusterEntrypoint() {
        return YarnDriverClusterEntrypoint.class.getName();
    }
}
