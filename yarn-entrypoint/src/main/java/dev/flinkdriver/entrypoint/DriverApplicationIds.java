package dev.flinkdriver.entrypoint;

import dev.flinkdriver.dispatcher.DriverDispatcherFactory;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;

import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerId;

import java.util.Map;
import java.util.Optional;

/**
 * The Flink application id of a driver application on YARN, derived from its YARN application id:
 * so the client finds the driver job of any driver application by id, knowing nothing but the YARN
 * id, and every ApplicationMaster attempt of one YARN application runs the same Flink application.
 */
public final class DriverApplicationIds {

    private DriverApplicationIds() {}

    public static ApplicationID of(ApplicationId yarnApplication) {
        return new ApplicationID(yarnApplication.getClusterTimestamp(), yarnApplication.getId());
    }

    /** The id of the driver job of the driver application with this YARN id. */
    public static JobID driverJobOf(ApplicationId yarnApplication) {
        return DriverDispatcherFactory.driverJobId(of(yarnApplication));
    }

    /** The YARN application of the container whose environment this is. */
    static Optional<ApplicationId> yarnApplicationOf(Map<String, String> containerEnvironment) {
        return Optional.ofNullable(
                        containerEnvironment.get(
                                ApplicationConstants.Environment.CONTAINER_ID.key()))
                .map(id -> ContainerId.fromString(id).getApplicationAttemptId().getApplicationId());
    }
}
