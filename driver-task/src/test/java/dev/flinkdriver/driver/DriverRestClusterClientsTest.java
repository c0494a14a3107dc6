package dev.flinkdriver.driver;

import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The seam into RestClusterClient's package-private constructor: fails on a Flink that lost it. */
class DriverRestClusterClientsTest {

    @Test
    void flinkStillHasTheConstructorWithAWaitStrategy() {
        assertThat(DriverRestClusterClients.pollsWithShortCeiling())
                .as(
                        "RestClusterClient(Configuration, RestClient, T, WaitStrategy) is gone: the"
                                + " driver falls back to Flink's 2 s polling ceiling")
                .isTrue();
    }

    @Test
    void createsAClientForTheGivenCluster() throws Exception {
        Configuration configuration = new Configuration();
        configuration.set(RestOptions.ADDRESS, "localhost");
        configuration.set(RestOptions.PORT, 1);
        try (RestClusterClient<StandaloneClusterId> client =
                DriverRestClusterClients.create(
                        configuration, StandaloneClusterId.getInstance(), Duration.ofMillis(200))) {
            assertThat(client.getClusterId()).isSameAs(StandaloneClusterId.getInstance());
            assertThat(client.getWebInterfaceURL()).isEqualTo("http://localhost:1");
        }
    }
}
