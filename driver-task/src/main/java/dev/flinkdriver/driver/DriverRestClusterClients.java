package dev.flinkdriver.driver;

import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.client.program.rest.retry.ExponentialWaitStrategy;
import org.apache.flink.client.program.rest.retry.WaitStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rest.RestClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;

/**
 * Flink's {@link RestClusterClient} with a shorter ceiling on its polling interval; the public
 * constructors double the interval up to 2 s.
 *
 * <p>The seam: the constructor that takes a {@link WaitStrategy} is package-private, and reached by
 * reflection. Not by a class in Flink's package: on a cluster whose lib/ lacks flink-driver the
 * driver's code comes with the job, from a child-first class loader, and a class of that loader is
 * in another runtime package than Flink's even under the same package name ({@code
 * IllegalAccessError}). Where a Flink upgrade removes the constructor, the driver keeps Flink's 2 s
 * ceiling and says so once; {@code DriverRestClusterClientsTest} fails then.
 */
public final class DriverRestClusterClients {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRestClusterClients.class);

    private static final long INITIAL_POLL_MILLIS = 10L;

    @Nullable private static final Constructor<?> WITH_WAIT_STRATEGY = waitStrategyConstructor();

    private DriverRestClusterClients() {}

    /** Whether this Flink still has the constructor that takes a wait strategy. */
    static boolean pollsWithShortCeiling() {
        return WITH_WAIT_STRATEGY != null;
    }

    @SuppressWarnings("unchecked")
    public static <T> RestClusterClient<T> create(
            Configuration configuration, T clusterId, Duration maxPollInterval) throws Exception {
        if (WITH_WAIT_STRATEGY == null) {
            return new RestClusterClient<>(configuration, clusterId);
        }
        WaitStrategy waitStrategy =
                new ExponentialWaitStrategy(
                        INITIAL_POLL_MILLIS,
                        Math.max(INITIAL_POLL_MILLIS, maxPollInterval.toMillis()));
        try {
            return (RestClusterClient<T>)
                    WITH_WAIT_STRATEGY.newInstance(configuration, null, clusterId, waitStrategy);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    @Nullable
    private static Constructor<?> waitStrategyConstructor() {
        try {
            Constructor<?> constructor =
                    RestClusterClient.class.getDeclaredConstructor(
                            Configuration.class,
                            RestClient.class,
                            Object.class,
                            WaitStrategy.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "This Flink's RestClusterClient has no constructor that takes a wait strategy;"
                            + " the driver polls for job results with Flink's 2 s ceiling.",
                    e);
            return null;
        }
    }
}
