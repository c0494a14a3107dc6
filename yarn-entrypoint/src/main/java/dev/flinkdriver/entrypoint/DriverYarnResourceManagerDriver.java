package dev.flinkdriver.entrypoint;

import dev.flinkdriver.dispatcher.DriverDiagnostics;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.yarn.YarnResourceManagerDriver;
import org.apache.flink.yarn.YarnWorkerNode;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnResourceManagerDriverConfiguration;

import javax.annotation.Nullable;

import java.util.concurrent.CompletableFuture;

/**
 * Flink's YARN resource manager driver, reporting the driver application's progress ({@link
 * dev.flinkdriver.dispatcher.ProgressEstimate}) as it is at every heartbeat ({@link
 * LiveProgressAmrmClient}), at Flink's own heartbeat intervals, and its one-line summary as the
 * YARN diagnostics when it unregisters. Flink's own shutdown always passes null diagnostics.
 *
 * <p>Its AMRM client starts at the container-request heartbeat interval rather than the idle one: a
 * driver cluster requests the driver's TaskManager (and pre-warmed ones) right after it registers,
 * and Flink's switch to the short interval only takes effect after the idle sleep in progress (up
 * to {@code yarn.heartbeat.interval}, 5 s) has ended. Flink returns to the idle interval once those
 * containers are allocated.
 *
 * <p>It starts the driver's TaskManager with the driver's own process ({@link
 * DriverResources#processSpecFor}): Flink's resource manager sizes every worker's framework memory,
 * metaspace and JVM overhead from {@code taskmanager.memory.*}, for data processing. And with the
 * driver's own JVM options ({@link DriverTaskManagerLaunch}).
 */
final class DriverYarnResourceManagerDriver extends YarnResourceManagerDriver {

    private final DriverDiagnostics diagnostics;
    private final DriverResources driverResources;

    /**
     * @param registration the ApplicationMaster's YARN registration, shared by the resource
     *     managers of every leadership of this process
     */
    DriverYarnResourceManagerDriver(
            Configuration flinkConfig,
            YarnResourceManagerDriverConfiguration configuration,
            DriverDiagnostics diagnostics,
            AmRegistration registration,
            DriverResources driverResources) {
        super(
                flinkConfig,
                configuration,
                (idleHeartbeatMillis, handler) ->
                        registration.clientFor(
                                containerRequestHeartbeatMillis(flinkConfig), handler),
                callbackHandler -> {
                    DriverNodeManagerClient nodeManagers =
                            new DriverNodeManagerClient(
                                    callbackHandler,
                                    new DriverTaskManagerLaunch(flinkConfig, driverResources),
                                    new ContainerClassDataSharing(flinkConfig));
                    // A resource manager that loses leadership stops its clients; the
                    // TaskManagers run on for the next leader (see AmRegistration). YARN stops
                    // every container when the application ends.
                    nodeManagers.getClient().cleanupRunningContainersOnStop(false);
                    return nodeManagers;
                });
        this.diagnostics = diagnostics;
        this.driverResources = driverResources;
    }

    @Override
    public CompletableFuture<YarnWorkerNode> requestResource(
            TaskExecutorProcessSpec taskExecutorProcessSpec) {
        // Every later step (container size, priority, JVM options, the TaskManager's memory
        // configuration) follows the process spec requested here.
        return super.requestResource(driverResources.processSpecFor(taskExecutorProcessSpec));
    }

    private static int containerRequestHeartbeatMillis(Configuration flinkConfig) {
        return Math.toIntExact(
                flinkConfig
                        .get(YarnConfigOptions.CONTAINER_REQUEST_HEARTBEAT_INTERVAL_MILLISECONDS)
                        .toMillis());
    }

    @Override
    public void deregisterApplication(
            ApplicationStatus finalStatus, @Nullable String optionalDiagnostics) {
        super.deregisterApplication(
                finalStatus,
                optionalDiagnostics != null ? optionalDiagnostics : diagnostics.getDiagnostics());
    }
}
