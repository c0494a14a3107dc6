package dev.flinkdriver.entrypoint;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.dispatcher.DriverDiagnostics;
import dev.flinkdriver.dispatcher.DriverDispatcherFactory;
import dev.flinkdriver.driver.DriverInvokable;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class DriverApplicationIdsTest {

    private static final ApplicationId YARN_ID = ApplicationId.newInstance(1764460000000L, 42);

    @Test
    void theAmsDriverJobIsTheOneTheClientComputes() {
        Configuration amConfiguration =
                YarnDriverClusterEntrypoint.withApplicationId(
                        new Configuration(),
                        Map.of("CONTAINER_ID", "container_1764460000000_0042_01_000001"));

        DriverDispatcherFactory factory =
                new DriverDispatcherFactory(
                        amConfiguration,
                        new DriverDiagnostics(),
                        new CompletableFuture<>(),
                        ResourceProfile.UNKNOWN,
                        DriverInvokable.class);

        assertThat(factory.getApplicationId()).isEqualTo(DriverApplicationIds.of(YARN_ID));
        assertThat(factory.getDriverJobId()).isEqualTo(DriverApplicationIds.driverJobOf(YARN_ID));
    }

    @Test
    void aConfiguredApplicationIdStays() {
        Configuration configured = new Configuration();
        configured.set(DriverInternalOptions.APPLICATION_ID, "00000000000000000000000000000007");

        Configuration amConfiguration =
                YarnDriverClusterEntrypoint.withApplicationId(
                        configured,
                        Map.of("CONTAINER_ID", "container_1764460000000_0042_01_000001"));

        assertThat(amConfiguration.get(DriverInternalOptions.APPLICATION_ID))
                .isEqualTo("00000000000000000000000000000007");
    }

    @Test
    void applicationsOfOneYarnDifferAndAttemptsOfOneApplicationDoNot() {
        assertThat(DriverApplicationIds.of(ApplicationId.newInstance(1764460000000L, 43)))
                .isNotEqualTo(DriverApplicationIds.of(YARN_ID));
        assertThat(
                        DriverApplicationIds.yarnApplicationOf(
                                Map.of("CONTAINER_ID", "container_1764460000000_0042_02_000001")))
                .contains(YARN_ID);
    }
}
