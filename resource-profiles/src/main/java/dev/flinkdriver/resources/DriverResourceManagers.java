package dev.flinkdriver.resources;

import dev.flinkdriver.api.DriverInternalOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.runtime.clusterframework.types.ResourceIDRetrievable;
import org.apache.flink.runtime.metrics.groups.ResourceManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.SlotManagerMetricGroup;
import org.apache.flink.runtime.resourcemanager.DefaultJobLeaderIdService;
import org.apache.flink.runtime.resourcemanager.ResourceManager;
import org.apache.flink.runtime.resourcemanager.ResourceManagerProcessContext;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServices;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServicesConfiguration;
import org.apache.flink.runtime.resourcemanager.active.ActiveResourceManagerFactory;
import org.apache.flink.runtime.resourcemanager.slotmanager.DefaultResourceTracker;
import org.apache.flink.runtime.resourcemanager.slotmanager.DefaultSlotStatusSyncer;
import org.apache.flink.runtime.resourcemanager.slotmanager.DriverAwareResourceAllocationStrategy;
import org.apache.flink.runtime.resourcemanager.slotmanager.FineGrainedSlotManager;
import org.apache.flink.runtime.resourcemanager.slotmanager.FineGrainedTaskManagerTracker;
import org.apache.flink.runtime.resourcemanager.slotmanager.SlotManager;
import org.apache.flink.runtime.resourcemanager.slotmanager.SlotManagerConfiguration;
import org.apache.flink.util.concurrent.ScheduledExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * Builds the resource manager's slot manager with {@link DriverAwareResourceAllocationStrategy},
 * the way {@link ResourceManagerRuntimeServices#fromConfiguration} builds Flink's: the same {@link
 * FineGrainedSlotManager}, trackers and syncer, only the allocation strategy and the period of the
 * idle check differ.
 */
public final class DriverResourceManagers {

    private static final Logger LOG = LoggerFactory.getLogger(DriverResourceManagers.class);

    /** Lower bound of the idle check's period; the slot manager rejects a period of zero. */
    private static final Duration MIN_IDLE_CHECK_PERIOD = Duration.ofMillis(100);

    private DriverResourceManagers() {}

    /**
     * What {@link
     * org.apache.flink.runtime.resourcemanager.ResourceManagerFactory#createResourceManager(ResourceManagerProcessContext,
     * UUID)} does, with the driver's slot manager: call it from that method's override in an {@link
     * ActiveResourceManagerFactory}.
     */
    public static <W extends ResourceIDRetrievable> ResourceManager<W> createResourceManager(
            ActiveResourceManagerFactory<W> factory,
            ResourceManagerProcessContext context,
            UUID leaderSessionId)
            throws Exception {
        return factory.createResourceManager(
                context.getRmConfig(),
                context.getResourceId(),
                context.getRpcService(),
                leaderSessionId,
                context.getHeartbeatServices(),
                context.getDelegationTokenManager(),
                context.getFatalErrorHandler(),
                context.getClusterInformation(),
                context.getWebInterfaceUrl(),
                ResourceManagerMetricGroup.create(
                        context.getMetricRegistry(), context.getHostname()),
                runtimeServices(context),
                context.getIoExecutor());
    }

    /** Flink's resource manager runtime services, with the driver's slot manager. */
    public static ResourceManagerRuntimeServices runtimeServices(
            ResourceManagerProcessContext context) {
        final ResourceManagerRuntimeServicesConfiguration servicesConfiguration =
                context.getRmRuntimeServicesConfig();
        final ScheduledExecutor scheduledExecutor = context.getRpcService().getScheduledExecutor();
        return new ResourceManagerRuntimeServices(
                createSlotManager(
                        context.getRmConfig(),
                        servicesConfiguration.getSlotManagerConfiguration(),
                        scheduledExecutor,
                        SlotManagerMetricGroup.create(
                                context.getMetricRegistry(), context.getHostname())),
                new DefaultJobLeaderIdService(
                        context.getHighAvailabilityServices(),
                        scheduledExecutor,
                        servicesConfiguration.getJobTimeout()));
    }

    /**
     * A {@link FineGrainedSlotManager} whose allocation strategy gives the driver a TaskManager of
     * its own.
     *
     * @param configuration the resource manager's configuration, with the {@code driver.*} options
     */
    public static SlotManager createSlotManager(
            Configuration configuration,
            SlotManagerConfiguration slotManagerConfiguration,
            ScheduledExecutor scheduledExecutor,
            SlotManagerMetricGroup slotManagerMetricGroup) {
        final DriverResources driver = DriverResources.fromConfiguration(configuration);
        final Duration driverIdleTimeout =
                configuration.get(DriverResourceOptions.TASK_MANAGER_IDLE_TIMEOUT);
        LOG.info("Driver TaskManagers: {}, released after {} idle.", driver, driverIdleTimeout);
        return new FineGrainedSlotManager(
                scheduledExecutor,
                withIdleCheckPeriod(
                        slotManagerConfiguration,
                        idleCheckPeriod(
                                slotManagerConfiguration.getTaskManagerTimeout(),
                                driverIdleTimeout)),
                slotManagerMetricGroup,
                new DefaultResourceTracker(),
                new FineGrainedTaskManagerTracker(),
                new DefaultSlotStatusSyncer(
                        slotManagerConfiguration.getTaskManagerRequestTimeout()),
                // The default strategy keeps the configured timeout for other TaskManagers.
                DriverAwareResourceAllocationStrategy.withDefaultStrategy(
                        slotManagerConfiguration,
                        driver.slotProfile(),
                        driverIdleTimeout,
                        startupGrace(
                                slotManagerConfiguration.getTaskManagerTimeout(),
                                configuration.get(
                                        ResourceManagerOptions
                                                .RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT),
                                configuration.get(DriverInternalOptions.JOBMANAGER_ATTEMPT),
                                configuration.get(DriverInternalOptions.JOBMANAGER_LEADERSHIP))));
    }

    /**
     * The slot manager checks for idle TaskManagers every {@code
     * resourcemanager.taskmanager-timeout} (30 s by default), which would keep an idle driver
     * TaskManager for up to twice that. The check is cheap; run it as often as the driver's timeout
     * needs.
     */
    static Duration idleCheckPeriod(Duration taskManagerTimeout, Duration driverIdleTimeout) {
        final Duration wanted =
                driverIdleTimeout.compareTo(taskManagerTimeout) < 0
                        ? driverIdleTimeout
                        : taskManagerTimeout;
        return wanted.compareTo(MIN_IDLE_CHECK_PERIOD) < 0 ? MIN_IDLE_CHECK_PERIOD : wanted;
    }

    /**
     * Only a JobManager after a failover can find a driver TaskManager kept from the lost attempt,
     * idle until the recovered driver asks for it: it keeps idle driver TaskManagers, and starts no
     * minimum TaskManager, for a while after it started. Flink holds the recovered jobs' requests
     * until the kept TaskManagers registered, for up to {@code
     * resourcemanager.previous-worker.recovery.timeout} after the ApplicationMaster registered with
     * YARN; the recovered driver then gets Flink's TaskManager timeout to ask. A first attempt has
     * none to wait for, and a short main() must not keep its TaskManager for that long. The same
     * holds for the resource manager of a JobManager that regained leadership after a ZooKeeper
     * loss: it takes the driver's TaskManager over before the recovered driver job asks for it.
     */
    static Duration startupGrace(
            Duration taskManagerTimeout,
            Duration keptWorkersWait,
            int jobManagerAttempt,
            int leadership) {
        return jobManagerAttempt > 1 || leadership > 1
                ? taskManagerTimeout.plus(keptWorkersWait)
                : Duration.ZERO;
    }

    /**
     * {@link FineGrainedSlotManager} reads the TaskManager timeout only as the period of its idle
     * check; the timeout itself is applied by the allocation strategy.
     */
    private static SlotManagerConfiguration withIdleCheckPeriod(
            SlotManagerConfiguration c, Duration period) {
        return new SlotManagerConfiguration(
                c.getTaskManagerRequestTimeout(),
                period,
                c.getRequirementCheckDelay(),
                c.getDeclareNeededResourceDelay(),
                c.getTaskManagerLoadBalanceMode(),
                c.getDefaultWorkerResourceSpec(),
                c.getNumSlotsPerWorker(),
                c.getMinSlotNum(),
                c.getMaxSlotNum(),
                c.getMinTotalCpu(),
                c.getMaxTotalCpu(),
                c.getMinTotalMem(),
                c.getMaxTotalMem(),
                c.getRedundantTaskManagerNum());
    }
}
