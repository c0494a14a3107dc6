package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverOptions;

import org.apache.flink.client.deployment.StandaloneClientFactory;
import org.apache.flink.client.deployment.StandaloneClusterDescriptor;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.deployment.executors.AbstractSessionClusterExecutor;
import org.apache.flink.client.program.ClusterClientProvider;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.PipelineExecutor;

import java.time.Duration;

/**
 * Flink's remote executor, whose cluster clients notice a finished job sooner ({@link
 * DriverOptions#JOB_RESULT_POLL_MAX_INTERVAL}). An attached {@code execute()} polls the cluster for
 * the job's result; with Flink's 2 s ceiling a job of a few hundred milliseconds waited about as
 * long again before main() went on.
 */
final class DriverRemoteExecutors {

    private DriverRemoteExecutors() {}

    static PipelineExecutor create(Configuration configuration) {
        return new AbstractSessionClusterExecutor<>(new ClientFactory(), configuration);
    }

    private static final class ClientFactory extends StandaloneClientFactory {

        @Override
        public StandaloneClusterDescriptor createClusterDescriptor(Configuration configuration) {
            Duration maxPollInterval =
                    configuration.get(DriverOptions.JOB_RESULT_POLL_MAX_INTERVAL);
            return new StandaloneClusterDescriptor(configuration) {
                @Override
                public ClusterClientProvider<StandaloneClusterId> retrieve(
                        StandaloneClusterId clusterId) {
                    return () -> {
                        try {
                            return DriverRestClusterClients.create(
                                    configuration, clusterId, maxPollInterval);
                        } catch (Exception e) {
                            throw new RuntimeException(
                                    "Could not connect to the driver cluster's REST endpoint", e);
                        }
                    };
                }
            };
        }
    }
}
