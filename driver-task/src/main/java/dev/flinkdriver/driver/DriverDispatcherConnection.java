package dev.flinkdriver.driver;

import dev.flinkdriver.api.DispatcherEndpoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcUtils;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.apache.flink.util.concurrent.ScheduledExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The driver's RPC connection to its dispatcher. A task cannot reach its TaskManager's own RPC
 * service, so the driver starts one of its own (Flink's RPC system, on a port of the TaskManagers'
 * range on the TaskManager's host). That takes one to two seconds, so it starts in the background
 * while main() builds its first job, and only the first execute() waits for it.
 */
public final class DriverDispatcherConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverDispatcherConnection.class);

    /**
     * Logged once connected: the dispatcher's RPC address ({@code pekko.ssl.tcp://...} with
     * internal SSL on), milliseconds. DelegationTokenIT reads it.
     */
    public static final String CONNECTED = "Connected to dispatcher {} over RPC in {} ms.";

    /** Logged when it could not connect: the dispatcher's RPC address. */
    public static final String CONNECT_FAILED =
            "Could not connect to the dispatcher {} over RPC; main()'s jobs go through the"
                    + " cluster's REST API.";

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Connects, then runs what the driver's job clients wait for. */
    private final ExecutorService ioExecutor =
            Executors.newCachedThreadPool(new ExecutorThreadFactory("flink-driver-rpc-io"));

    private final CompletableFuture<Connected> connected;

    /** Why it could not connect, if it could not. */
    private volatile Throwable connectFailure;

    private record Connected(
            RpcSystem rpcSystem, RpcService rpcService, DispatcherGateway gateway) {}

    private DriverDispatcherConnection(
            Configuration configuration, DispatcherEndpoint endpoint, String externalAddress) {
        ClassLoader flinkClassLoader = DriverDispatcherConnection.class.getClassLoader();
        this.connected =
                CompletableFuture.supplyAsync(
                        () -> {
                            // RpcSystem.load looks for Flink's RPC system through the context
                            // class loader: Flink's own, not main()'s user-code class loader.
                            Thread.currentThread().setContextClassLoader(flinkClassLoader);
                            try {
                                return connect(configuration, endpoint, externalAddress);
                            } catch (Exception e) {
                                connectFailure = e;
                                return null;
                            }
                        },
                        ioExecutor);
    }

    /**
     * Starts connecting at once.
     *
     * @param externalAddress the address of the TaskManager's host under which the dispatcher
     *     reaches back to the driver's RPC service
     */
    static DriverDispatcherConnection open(
            Configuration configuration, DispatcherEndpoint endpoint, String externalAddress) {
        return new DriverDispatcherConnection(
                checkNotNull(configuration), checkNotNull(endpoint), checkNotNull(externalAddress));
    }

    private static Connected connect(
            Configuration configuration, DispatcherEndpoint endpoint, String externalAddress)
            throws Exception {
        long start = System.nanoTime();
        RpcSystem rpcSystem = null;
        RpcService rpcService = null;
        try {
            rpcSystem = RpcSystem.load(configuration);
            // The dispatcher calls back on this port: the TaskManagers' range, which a cluster
            // that restricts ports has opened.
            rpcService =
                    RpcUtils.createRemoteRpcService(
                            rpcSystem,
                            configuration,
                            externalAddress,
                            configuration.get(TaskManagerOptions.RPC_PORT),
                            null,
                            Optional.empty());
            DispatcherGateway gateway =
                    rpcService
                            .connect(endpoint.address(), endpoint.id(), DispatcherGateway.class)
                            .get();
            LOG.info(
                    CONNECTED,
                    endpoint.address(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            return new Connected(rpcSystem, rpcService, gateway);
        } catch (Exception e) {
            // Logged before the RPC system closes: its class loader, which the exception's Pekko
            // and Scala classes come from, is gone afterwards, and Log4j would fail to render them
            // (NoClassDefFoundError on stderr instead of this line in the log).
            LOG.warn(CONNECT_FAILED, endpoint.address(), e);
            stop(rpcSystem, rpcService);
            throw e;
        }
    }

    /**
     * The dispatcher, once connected; empty where the connection failed. Waits: the first execute()
     * of main() is the only one that does.
     */
    Optional<DispatcherGateway> gateway() throws Exception {
        return Optional.ofNullable(connected()).map(Connected::gateway);
    }

    /** Why it could not connect, once it tried: what the driver's log says. */
    Optional<Throwable> connectFailure() throws Exception {
        connected();
        return Optional.ofNullable(connectFailure);
    }

    /** The RPC service's scheduler, for what the job clients schedule. */
    ScheduledExecutor scheduledExecutor() throws Exception {
        return checkNotNull(connected(), "not connected").rpcService().getScheduledExecutor();
    }

    Executor ioExecutor() {
        return ioExecutor;
    }

    private Connected connected() throws Exception {
        try {
            return connected.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    /** Stops the RPC service, after waiting for a connection attempt still under way. */
    @Override
    public void close() {
        try {
            Connected c = connected.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (c != null) {
                stop(c.rpcSystem(), c.rpcService());
            }
        } catch (Exception e) {
            LOG.warn("Gave up waiting for the driver's RPC connection to stop.", e);
        } finally {
            ioExecutor.shutdown();
        }
    }

    private static void stop(@Nullable RpcSystem rpcSystem, @Nullable RpcService rpcService) {
        try {
            if (rpcService != null) {
                rpcService.closeAsync().get();
            }
        } catch (Exception e) {
            LOG.warn("Could not stop the driver's RPC service.", e);
        } finally {
            if (rpcSystem != null) {
                rpcSystem.close();
            }
        }
    }
}
