package dev.flinkdriver.api;

import org.apache.flink.runtime.dispatcher.DispatcherId;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where the driver reaches the dispatcher that runs it over RPC: its address and its fencing token.
 * The driver job carries it ({@link DriverJobMarkers#markDriverJob}).
 */
public record DispatcherEndpoint(String address, DispatcherId id) {

    public DispatcherEndpoint {
        checkNotNull(address);
        checkNotNull(id);
    }
}
