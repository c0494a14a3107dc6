package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.dispatcher.DispatcherId;

import java.util.Optional;
import java.util.UUID;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where the driver reaches the dispatcher that runs it over RPC: written into the driver job by
 * that dispatcher (on submission, and on recovery by a new leader), read by the driver task.
 */
public record DispatcherEndpoint(String address, DispatcherId id) {

    public DispatcherEndpoint {
        checkNotNull(address);
        checkNotNull(id);
    }

    public void writeTo(Configuration configuration) {
        configuration.set(DriverInternalOptions.DISPATCHER_ADDRESS, address);
        configuration.set(DriverInternalOptions.DISPATCHER_ID, id.toUUID().toString());
    }

    /** Empty for a driver job that no DriverDispatcher runs (an existing cluster). */
    public static Optional<DispatcherEndpoint> readFrom(Configuration configuration) {
        Optional<String> address =
                configuration.getOptional(DriverInternalOptions.DISPATCHER_ADDRESS);
        Optional<String> id = configuration.getOptional(DriverInternalOptions.DISPATCHER_ID);
        if (address.isEmpty() || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new DispatcherEndpoint(
                        address.get(), DispatcherId.fromUuid(UUID.fromString(id.get()))));
    }
}
