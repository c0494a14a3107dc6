package dev.flinkdriver.entrypoint;

import org.apache.flink.runtime.rpc.FatalErrorHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a JobManager alive while ZooKeeper is unreachable. Curator gives a background operation up
 * once its retries are spent ({@code high-availability.zookeeper.client.max-retry-attempts}, 3 by
 * default, a few seconds apart), and Flink's high-availability services turn that into a fatal
 * error: an outage of ZooKeeper longer than about 15 s ends every JobManager process. The leader
 * election and retrieval recipes start over by themselves once the connection is back, and the
 * JobManager has already given up leadership when its connection was suspended, so a lost
 * connection is only logged here; every other error stays fatal.
 */
final class ZooKeeperOutageTolerance implements FatalErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperOutageTolerance.class);

    private final FatalErrorHandler delegate;

    ZooKeeperOutageTolerance(FatalErrorHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onFatalError(Throwable exception) {
        if (isLostConnection(exception)) {
            LOG.warn(
                    "ZooKeeper is unreachable and Curator gave an operation up; this JobManager"
                            + " runs on without leadership until ZooKeeper is back.",
                    exception);
            return;
        }
        delegate.onFatalError(exception);
    }

    /**
     * ZooKeeper's own exceptions and their subclasses (Curator's {@code
     * CuratorConnectionLossException}), matched by name: Flink ships them shaded.
     */
    static boolean isLostConnection(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                String name = c.getSimpleName();
                if (name.equals("ConnectionLossException")
                        || name.equals("SessionExpiredException")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
