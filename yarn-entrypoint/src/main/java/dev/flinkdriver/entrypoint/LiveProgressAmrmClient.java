package dev.flinkdriver.entrypoint;

import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.impl.AMRMClientImpl;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * YARN's AM-RM client, sending the driver application's progress as it is at each heartbeat.
 *
 * <p>{@code AMRMClientAsync}'s heartbeat thread sends the progress its callback thread read from
 * the handler after the previous heartbeat's response, so every value reached YARN one heartbeat
 * late (5 to 10 s at Flink's default {@code yarn.heartbeat.interval}); and Flink's handler says 1
 * throughout. Reading the value here, when the heartbeat is sent, changes neither how often nor
 * what else is sent.
 */
final class LiveProgressAmrmClient extends AMRMClientImpl<AMRMClient.ContainerRequest> {

    private final DoubleSupplier progress;

    LiveProgressAmrmClient(DoubleSupplier progress) {
        this.progress = progress;
    }

    @Override
    public AllocateResponse allocate(float ignoredProgress) throws YarnException, IOException {
        return super.allocate((float) progress.getAsDouble());
    }
}
