package dev.flinkdriver.entrypoint;

import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.client.api.async.impl.NMClientAsyncImpl;

/**
 * YARN's asynchronous NodeManager client, starting the driver's TaskManager with its own JVM
 * options ({@link DriverTaskManagerLaunch}) and every TaskManager with its class-data archive
 * ({@link ContainerClassDataSharing}). Flink's resource manager driver builds each container's
 * launch context privately and hands it to this client, the one place to change it.
 */
final class DriverNodeManagerClient extends NMClientAsyncImpl {

    private final DriverTaskManagerLaunch launch;

    private final ContainerClassDataSharing classDataSharing;

    DriverNodeManagerClient(
            NMClientAsync.AbstractCallbackHandler callbackHandler,
            DriverTaskManagerLaunch launch,
            ContainerClassDataSharing classDataSharing) {
        super(callbackHandler);
        this.launch = launch;
        this.classDataSharing = classDataSharing;
    }

    @Override
    public void startContainerAsync(Container container, ContainerLaunchContext context) {
        // The driver's options first: they look for a collector the command already chooses, and
        // the archive's shell text names the one of its dump.
        launch.apply(context);
        classDataSharing.apply(
                context,
                command ->
                        launch.isDriverTaskManager(command)
                                ? ContainerClassDataSharing.Role.DRIVER
                                : ContainerClassDataSharing.Role.TASKMANAGER);
        super.startContainerAsync(container, context);
    }
}
