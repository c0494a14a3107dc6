package dev.flinkdriver.entrypoint;

import dev.flinkdriver.dispatcher.DriverDiagnostics;
import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.yarn.YarnResourceManagerDriver;
import org.apache.flink.yarn.YarnWorkerNode;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnResourceManagerDriverConfiguration;

import org.apache.hadoop.yarn.api.records.Resource;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Flink's YARN resource manager driver, reporting the driver application's progress ({@link
 * dev.flinkdriver.dispatcher.ProgressEstimate}) as it is at every heartbeat ({@link
 * LiveProgressAmrmClient}), at Flink's own heartbeat intervals, and its one-line summary as the
 * YARN diagnostics when it unregisters. Flink's own shutdown always passes null diagnostics.
 *
 * <p>Its AMRM client starts at the container-request heartbeat interval rather than the idle one: a
 * driver cluster requests the driver's TaskManager (and pre-warmed ones) right after it registers,
 * and Flink's switch to the short interval only takes effect after the idle sleep in progress (up
 * to {@code yarn.heartbeat.interval}, 5 s) has ended. Flink returns to the idle interval once those
 * containers are allocated.
 *
 * <p>It starts the driver's TaskManager with the driver's own process ({@link
 * DriverResources#processSpecFor}): Flink's resource manager sizes every worker's framework memory,
 * metaspace and JVM overhead from {@code taskmanager.memory.*}, for data processing. And with the
 * driver's own JVM options ({@link DriverTaskManagerLaunch}).
 *
 * <p>It fails the application when YARN grants it no TaskManager of a kind it holds none of within
 * {@code driver.container-wait-timeout} ({@link ContainerWait}): a full queue.
 */
final class DriverYarnResourceManagerDriver extends YarnResourceManagerDriver {

    private final DriverDiagnostics diagnostics;
    private final DriverResources driverResources;

    private final AtomicReference<QueueRecordingClient> client;
    private final Duration containerWaitTimeout;
    private final ContainerWait containerWait;
    private final Map<ContainerWait.Kind, TaskExecutorProcessSpec> requested =
            new EnumMap<>(ContainerWait.Kind.class);
    private @Nullable ScheduledFuture<?> containerWaitCheck;
    private boolean containerWaitFailed;
    private volatile boolean terminated;

    /**
     * @param registration the ApplicationMaster's YARN registration, shared by the resource
     *     managers of every leadership of this process
     * @param client the YARN client behind {@code registration}, once it exists: the queue YARN
     *     placed the application in, and what it has left, for a full queue's diagnostics
     */
    DriverYarnResourceManagerDriver(
            Configuration flinkConfig,
            YarnResourceManagerDriverConfiguration configuration,
            DriverDiagnostics diagnostics,
            AmRegistration registration,
            AtomicReference<QueueRecordingClient> client) {
        this(
                flinkConfig,
                configuration,
                diagnostics,
                registration,
                client,
                DriverResources.fromConfiguration(flinkConfig));
    }

    private DriverYarnResourceManagerDriver(
            Configuration flinkConfig,
            YarnResourceManagerDriverConfiguration configuration,
            DriverDiagnostics diagnostics,
            AmRegistration registration,
            AtomicReference<QueueRecordingClient> client,
            DriverResources driverResources) {
        super(
                flinkConfig,
                configuration,
                (idleHeartbeatMillis, handler) ->
                        registration.clientFor(
                                containerRequestHeartbeatMillis(flinkConfig), handler),
                callbackHandler -> {
                    DriverNodeManagerClient nodeManagers =
                            new DriverNodeManagerClient(
                                    callbackHandler,
                                    new DriverTaskManagerLaunch(flinkConfig, driverResources));
                    // A resource manager that loses leadership stops its clients; the
                    // TaskManagers run on for the next leader (see AmRegistration). YARN stops
                    // every container when the application ends.
                    nodeManagers.getClient().cleanupRunningContainersOnStop(false);
                    return nodeManagers;
                });
        this.diagnostics = diagnostics;
        this.driverResources = driverResources;
        this.client = client;
        this.containerWaitTimeout = flinkConfig.get(DriverResourceOptions.CONTAINER_WAIT_TIMEOUT);
        this.containerWait = new ContainerWait(containerWaitTimeout);
    }

    @Override
    protected void initializeInternal() throws Exception {
        super.initializeInternal();
        if (!containerWaitTimeout.isZero() && !containerWaitTimeout.isNegative()) {
            scheduleContainerWaitCheck();
        }
    }

    /** The main thread's executor has no fixed-rate scheduling: each check schedules the next. */
    private void scheduleContainerWaitCheck() {
        long period = Math.max(100, Math.min(5000, containerWaitTimeout.toMillis() / 10));
        containerWaitCheck =
                getMainThreadExecutor()
                        .schedule(
                                () -> {
                                    checkContainerWait();
                                    if (!containerWaitFailed && !terminated) {
                                        scheduleContainerWaitCheck();
                                    }
                                },
                                period,
                                TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<YarnWorkerNode> requestResource(
            TaskExecutorProcessSpec taskExecutorProcessSpec) {
        // Every later step (container size, priority, JVM options, the TaskManager's memory
        // configuration) follows the process spec requested here.
        TaskExecutorProcessSpec spec = driverResources.processSpecFor(taskExecutorProcessSpec);
        ContainerWait.Kind kind =
                spec == driverResources.processSpec()
                        ? ContainerWait.Kind.DRIVER
                        : ContainerWait.Kind.USER;
        requested.put(kind, spec);
        containerWait.requested(kind, System.currentTimeMillis());
        CompletableFuture<YarnWorkerNode> worker = super.requestResource(spec);
        // Completed or cancelled on the main thread, as the request was made.
        worker.whenComplete(
                (granted, failure) -> {
                    if (failure == null) {
                        containerWait.granted(kind, granted.getResourceID());
                    } else {
                        containerWait.withdrawn(kind, System.currentTimeMillis());
                    }
                });
        return worker;
    }

    @Override
    public void releaseResource(YarnWorkerNode workerNode) {
        containerWait.released(workerNode.getResourceID(), System.currentTimeMillis());
        super.releaseResource(workerNode);
    }

    private void checkContainerWait() {
        if (containerWaitFailed) {
            return;
        }
        long now = System.currentTimeMillis();
        containerWait
                .starved(now)
                .ifPresent(
                        starved -> {
                            containerWaitFailed = true;
                            String message = containerWaitMessage(starved, now);
                            log.error(message);
                            diagnostics
                                    .failureRequests()
                                    .request(new ContainerWaitTimeoutException(message));
                        });
    }

    private String containerWaitMessage(ContainerWait.Starved starved, long now) {
        QueueRecordingClient yarn = client.get();
        TaskExecutorProcessSpec spec = requested.get(starved.kind());
        Resource free = yarn == null ? null : yarn.getAvailableResources();
        String held =
                starved.kind() == ContainerWait.Kind.USER
                        ? (starved.heldOfOtherKind() > 0 ? " and the driver's TaskManager" : "")
                        : (starved.heldOfOtherKind() > 0
                                ? " and " + starved.heldOfOtherKind() + " TaskManager(s) for jobs"
                                : "");
        return String.format(
                "YARN queue '%s' granted no container for %s in %d s (%s: %s): %d container(s)"
                        + " of %d MB and %d vcores pending; the application holds only its"
                        + " JobManager%s, and YARN left %s for it. The queue's ApplicationMaster"
                        + " limit lets in more applications than it has room for with their"
                        + " TaskManagers; see 'Sizing a queue' in the flink-driver README.",
                yarn == null ? "(unknown)" : yarn.queue(),
                starved.kind().description(),
                (now - starved.sinceMillis()) / 1000,
                DriverResourceOptions.CONTAINER_WAIT_TIMEOUT.key(),
                seconds(containerWaitTimeout),
                starved.pending(),
                spec == null ? 0 : spec.getTotalProcessMemorySize().getMebiBytes(),
                spec == null ? 0 : spec.getCpuCores().getValue().intValue(),
                held,
                free == null
                        ? "nothing it reported"
                        : free.getMemorySize() + " MB and " + free.getVirtualCores() + " vcores");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0
                ? duration.toSeconds() + " s"
                : duration.toMillis() + " ms";
    }

    @Override
    public void terminate() throws Exception {
        terminated = true;
        if (containerWaitCheck != null) {
            containerWaitCheck.cancel(false);
        }
        super.terminate();
    }

    private static int containerRequestHeartbeatMillis(Configuration flinkConfig) {
        return Math.toIntExact(
                flinkConfig
                        .get(YarnConfigOptions.CONTAINER_REQUEST_HEARTBEAT_INTERVAL_MILLISECONDS)
                        .toMillis());
    }

    @Override
    public void deregisterApplication(
            ApplicationStatus finalStatus, @Nullable String optionalDiagnostics) {
        super.deregisterApplication(
                finalStatus,
                optionalDiagnostics != null ? optionalDiagnostics : diagnostics.getDiagnostics());
    }
}
