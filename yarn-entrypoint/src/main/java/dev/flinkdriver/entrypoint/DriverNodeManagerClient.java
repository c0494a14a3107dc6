package dev.flinkdriver.entrypoint;

import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.client.api.async.NMClientAsync;
import org.apache.hadoop.yarn.client.api.async.impl.NMClientAsyncImpl;

/**
 * YARN's asynchronous NodeManager client, starting the driver's TaskManager with its own JVM
 * options ({@link DriverTaskManagerLaunch}). Flink's resource manager driver builds each
 * container's launch context privately and hands it to this client, the one place to change it.
 */
final class DriverNodeManagerClient extends NMClientAsyncImpl {

    private final DriverTaskManagerLaunch launch;

    DriverNodeManagerClient(
            NMClientAsync.AbstractCallbackHandler callbackHandler, DriverTaskManagerLaunch launch) {
        super(callbackHandler);
        this.launch = launch;
    }

    @Override
    public void startContainerAsync(Container container, ContainerLaunchContext context) {
        launch.apply(context);
        super.startContainerAsync(container, context);
    }
}
