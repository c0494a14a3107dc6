package dev.flinkdriver.entrypoint;

import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.runtime.blocklist.BlockedNodeRetriever;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.active.ResourceEventHandler;
import org.apache.flink.runtime.resourcemanager.active.ResourceManagerDriver;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.apache.flink.yarn.YarnWorkerNode;

import org.apache.hadoop.yarn.api.records.Resource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Fails the application when YARN grants it no TaskManager of a kind it holds none of within {@code
 * driver.container-wait-timeout} ({@link ContainerWait}): a full queue. Wraps the resource
 * manager's driver, to see both what the resource manager asks of it (containers requested and
 * given back) and what it reports to the resource manager (containers lost, containers taken over
 * from an earlier attempt or leadership); the TaskManager registrations that tell a taken-over
 * container's kind come from the resource manager ({@link #workerRegistered}). Everything runs on
 * the resource manager's main thread.
 */
final class ContainerWaitCheck implements ResourceManagerDriver<YarnWorkerNode> {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerWaitCheck.class);

    private final ResourceManagerDriver<YarnWorkerNode> driver;
    private final Duration timeout;
    private final DriverResources driverResources;
    private final Supplier<QueueRecordingClient> yarn;
    private final Consumer<Throwable> failApplication;
    private final LongSupplier clock;

    private final ContainerWait wait;
    private final Map<ContainerWait.Kind, TaskExecutorProcessSpec> requested =
            new EnumMap<>(ContainerWait.Kind.class);

    private @Nullable ScheduledExecutor mainThread;
    private @Nullable ScheduledFuture<?> nextCheck;
    private boolean failed;
    private boolean terminated;

    /**
     * @param yarn the YARN client, once it exists (null before): the queue and what YARN left, for
     *     the diagnostics
     * @param failApplication ends the application FAILED with the given cause
     */
    ContainerWaitCheck(
            ResourceManagerDriver<YarnWorkerNode> driver,
            Duration timeout,
            DriverResources driverResources,
            Supplier<QueueRecordingClient> yarn,
            Consumer<Throwable> failApplication,
            LongSupplier clock) {
        this.driver = driver;
        this.timeout = timeout;
        this.driverResources = driverResources;
        this.yarn = yarn;
        this.failApplication = failApplication;
        this.clock = clock;
        this.wait = new ContainerWait(timeout);
    }

    @Override
    public void initialize(
            ResourceEventHandler<YarnWorkerNode> resourceEventHandler,
            ScheduledExecutor mainThreadExecutor,
            Executor ioExecutor,
            BlockedNodeRetriever blockedNodeRetriever)
            throws Exception {
        this.mainThread = mainThreadExecutor;
        driver.initialize(
                new Observed(resourceEventHandler),
                mainThreadExecutor,
                ioExecutor,
                blockedNodeRetriever);
        if (!timeout.isZero() && !timeout.isNegative()) {
            scheduleCheck();
        }
    }

    /** The main thread's executor has no fixed-rate scheduling: each check schedules the next. */
    private void scheduleCheck() {
        long period = Math.max(100, Math.min(5000, timeout.toMillis() / 10));
        nextCheck =
                mainThread.schedule(
                        () -> {
                            check();
                            if (!failed && !terminated) {
                                scheduleCheck();
                            }
                        },
                        period,
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<YarnWorkerNode> requestResource(
            TaskExecutorProcessSpec taskExecutorProcessSpec) {
        TaskExecutorProcessSpec spec = driverResources.processSpecFor(taskExecutorProcessSpec);
        ContainerWait.Kind kind =
                spec == driverResources.processSpec()
                        ? ContainerWait.Kind.DRIVER
                        : ContainerWait.Kind.USER;
        requested.put(kind, spec);
        wait.requested(kind, clock.getAsLong());
        CompletableFuture<YarnWorkerNode> worker = driver.requestResource(taskExecutorProcessSpec);
        // Completed or cancelled on the main thread, as the request was made.
        worker.whenComplete(
                (granted, failure) -> {
                    if (failure == null) {
                        wait.granted(kind, granted.getResourceID());
                    } else {
                        wait.withdrawn(kind, clock.getAsLong());
                    }
                });
        return worker;
    }

    @Override
    public void releaseResource(YarnWorkerNode worker) {
        wait.released(worker.getResourceID(), clock.getAsLong());
        driver.releaseResource(worker);
    }

    /** A TaskManager registered with the resource manager: a taken-over container's kind. */
    void workerRegistered(ResourceID worker, WorkerResourceSpec spec) {
        wait.identified(
                worker,
                spec.equals(driverResources.workerResourceSpec())
                        ? ContainerWait.Kind.DRIVER
                        : ContainerWait.Kind.USER,
                clock.getAsLong());
    }

    @Override
    public void terminate() throws Exception {
        terminated = true;
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
        driver.terminate();
    }

    @Override
    public void deregisterApplication(
            ApplicationStatus finalStatus, @Nullable String optionalDiagnostics) throws Exception {
        driver.deregisterApplication(finalStatus, optionalDiagnostics);
    }

    void check() {
        if (failed) {
            return;
        }
        long now = clock.getAsLong();
        wait.starved(now)
                .ifPresent(
                        starved -> {
                            failed = true;
                            String message = message(starved, now);
                            LOG.error(message);
                            failApplication.accept(new ContainerWaitTimeoutException(message));
                        });
    }

    private String message(ContainerWait.Starved starved, long now) {
        QueueRecordingClient client = yarn.get();
        TaskExecutorProcessSpec spec = requested.get(starved.kind());
        Resource free = client == null ? null : client.getAvailableResources();
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
                client == null ? "(unknown)" : client.queue(),
                starved.kind().description(),
                (now - starved.sinceMillis()) / 1000,
                DriverResourceOptions.CONTAINER_WAIT_TIMEOUT.key(),
                seconds(timeout),
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

    /** What the driver reports to the resource manager, seen on its way. */
    private final class Observed implements ResourceEventHandler<YarnWorkerNode> {

        private final ResourceEventHandler<YarnWorkerNode> resourceManager;

        Observed(ResourceEventHandler<YarnWorkerNode> resourceManager) {
            this.resourceManager = resourceManager;
        }

        @Override
        public void onPreviousAttemptWorkersRecovered(Collection<YarnWorkerNode> workers) {
            workers.forEach(worker -> wait.recovered(worker.getResourceID()));
            resourceManager.onPreviousAttemptWorkersRecovered(workers);
        }

        @Override
        public void onWorkerTerminated(ResourceID resourceId, String diagnostics) {
            // A container YARN reports ended: also one lost with its node.
            wait.released(resourceId, clock.getAsLong());
            resourceManager.onWorkerTerminated(resourceId, diagnostics);
        }

        @Override
        public void onError(Throwable exception) {
            resourceManager.onError(exception);
        }
    }
}
