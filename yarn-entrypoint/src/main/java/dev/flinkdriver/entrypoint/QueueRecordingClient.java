package dev.flinkdriver.entrypoint;

import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.resource.PlacementConstraint;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.client.api.async.impl.AMRMClientAsyncImpl;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The asynchronous AMRM client Flink's {@code DefaultYarnResourceManagerClientFactory} would
 * create, remembering the queue YARN placed the application in (its answer to the registration),
 * which a placement rule may have chosen rather than {@code yarn.application.queue}.
 */
final class QueueRecordingClient extends AMRMClientAsyncImpl<AMRMClient.ContainerRequest> {

    private volatile String queue = "(unknown)";

    QueueRecordingClient(
            AMRMClient<AMRMClient.ContainerRequest> client,
            int intervalMs,
            AMRMClientAsync.AbstractCallbackHandler handler) {
        super(client, intervalMs, handler);
    }

    @Override
    public RegisterApplicationMasterResponse registerApplicationMaster(
            String appHostName,
            int appHostPort,
            String appTrackingUrl,
            Map<Set<String>, PlacementConstraint> placementConstraints)
            throws YarnException, IOException {
        RegisterApplicationMasterResponse response =
                super.registerApplicationMaster(
                        appHostName, appHostPort, appTrackingUrl, placementConstraints);
        if (response.getQueue() != null) {
            queue = response.getQueue();
        }
        return response;
    }

    String queue() {
        return queue;
    }
}
