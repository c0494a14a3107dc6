package dev.flinkdriver.entrypoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.ResourceManagerOptions;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class YarnDriverClusterEntrypointTest {

    @Test
    void aRecoveredJobManagerWaitsForTheKeptTaskManagersForTheTaskManagerTimeout() {
        Configuration configuration = ha();
        configuration.set(ResourceManagerOptions.TASK_MANAGER_TIMEOUT, Duration.ofSeconds(42));

        assertThat(
                        YarnDriverClusterEntrypoint.withKeptTaskManagersAwaited(configuration)
                                .get(
                                        ResourceManagerOptions
                                                .RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void theUsersOwnWaitForKeptTaskManagersIsKept() {
        Configuration configuration = ha();
        configuration.set(
                ResourceManagerOptions.RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT,
                Duration.ZERO);

        assertThat(
                        YarnDriverClusterEntrypoint.withKeptTaskManagersAwaited(configuration)
                                .get(
                                        ResourceManagerOptions
                                                .RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT))
                .isZero();
    }

    @Test
    void withoutHighAvailabilityNothingIsAwaited() {
        assertThat(
                        YarnDriverClusterEntrypoint.withKeptTaskManagersAwaited(new Configuration())
                                .contains(
                                        ResourceManagerOptions
                                                .RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT))
                .isFalse();
    }

    private static Configuration ha() {
        Configuration configuration = new Configuration();
        configuration.set(HighAvailabilityOptions.HA_MODE, "zookeeper");
        return configuration;
    }
}
