package dev.flinkdriver.driver;

import dev.flinkdriver.api.DispatcherEndpoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DriverDispatcherConnectionTest {

    @Test
    void aDispatcherItCannotReachLeavesTheJobsToRest() throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(RpcOptions.ASK_TIMEOUT_DURATION, Duration.ofSeconds(2));
        DispatcherEndpoint nobody =
                new DispatcherEndpoint(
                        "pekko.tcp://flink@localhost:1/user/rpc/dispatcher_0",
                        DispatcherId.generate());

        try (DriverDispatcherConnection connection =
                DriverDispatcherConnection.open(configuration, nobody, "localhost")) {
            assertThat(connection.gateway())
                    .as("no gateway: DriverRpcExecutor submits through REST instead")
                    .isEmpty();
            assertThat(connection.connectFailure())
                    .as("Flink's RPC system started, and found no dispatcher there")
                    .hasValueSatisfying(
                            failure ->
                                    assertThat(failure)
                                            .hasCauseInstanceOf(RpcConnectionException.class)
                                            .hasStackTraceContaining(
                                                    "Could not connect to rpc endpoint under"
                                                            + " address pekko.tcp://flink@localhost:1"));
        }
    }
}
