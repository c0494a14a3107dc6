package dev.flinkdriver.client;

import org.apache.flink.client.deployment.ClusterDeploymentException;
import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After Flink's deployment failed (Flink has killed the application): removes its staging files and
 * names the application and where its logs are.
 */
final class FailedDeployment {

    private static final Logger LOG = LoggerFactory.getLogger(FailedDeployment.class);

    private FailedDeployment() {}

    static CliException cleanUp(
            DriverClusterDescriptor descriptor,
            Configuration effective,
            ClusterDeploymentException failure) {
        String cause =
                DriverRunCommand.firstLine(
                        failure.getCause() != null ? failure.getCause() : failure);
        ApplicationId id = descriptor.submittedApplication().orElse(null);
        if (id == null) {
            return new CliException(
                    CliException.FAILURE,
                    "Could not deploy the driver application: " + cause,
                    failure);
        }
        StagingDirectory.delete(effective, descriptor.getYarnClient().getConfig(), id);
        return new CliException(
                CliException.FAILURE,
                "Driver application "
                        + id
                        + " failed while deploying: "
                        + cause.strip()
                        + " Its ApplicationMaster's logs: `yarn logs -applicationId "
                        + id
                        + "`, or yarn.nodemanager.log-dirs/"
                        + id
                        + "/ on the NodeManager (local YARN: var/local-yarn/container-logs/)",
                failure);
    }
}
