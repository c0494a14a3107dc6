package org.apache.flink.client.program.rest;

import org.apache.flink.client.program.rest.retry.ExponentialWaitStrategy;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;

/**
 * Flink's {@link RestClusterClient} with a shorter ceiling on its polling interval. In Flink's
 * package because the constructor that takes the wait strategy is package-private; the public ones
 * double the interval up to 2 s.
 */
public final class DriverRestClusterClients {

    private static final long INITIAL_POLL_MILLIS = 10L;

    private DriverRestClusterClients() {}

    public static <T> RestClusterClient<T> create(
            Configuration configuration, T clusterId, Duration maxPollInterval) throws Exception {
        return new RestClusterClient<>(
                configuration,
                null,
                clusterId,
                new ExponentialWaitStrategy(
                        INITIAL_POLL_MILLIS,
                        Math.max(INITIAL_POLL_MILLIS, maxPollInterval.toMillis())));
    }
}
