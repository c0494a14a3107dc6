package org.apache.flink.runtime.resourcemanager.slotmanager;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.blocklist.BlockedTaskManagerChecker;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.instance.InstanceID;
import org.apache.flink.runtime.slots.ResourceRequirement;
import org.apache.flink.runtime.util.ResourceCounter;
import org.apache.flink.util.Preconditions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Gives the driver a TaskManager of its own, sized exactly for the driver slot, and leaves
 * everything else to Flink's {@link DefaultResourceAllocationStrategy}.
 *
 * <p>The default strategy carves an explicit profile out of a default-sized TaskManager and offers
 * the rest to other jobs; a profile larger than the default TaskManager is unfulfillable. Here a
 * requirement whose profile equals the driver slot is placed on a registered or pending driver
 * TaskManager (total profile and default slot profile equal the driver slot) or on a new one. The
 * default strategy only ever sees the other TaskManagers, so no other job lands on a driver's.
 *
 * <p>The slot manager recomputes all pending allocations every round, so this class keeps no state
 * between rounds. Idle driver TaskManagers are released after their own, short timeout: nothing
 * else could reuse them. Except right after the resource manager started: after a JobManager
 * failover the lost attempt's driver TaskManager (kept by YARN) registers, its slot freed, seconds
 * before the recovered driver job asks for a slot, and releasing it would make the driver wait for
 * a new TaskManager (a minute on a loaded machine); and no minimum TaskManager is started then, as
 * the kept ones are still registering.
 *
 * <p>This class lives in Flink's package because {@link ResourceAllocationStrategy}'s methods take
 * the package-private {@link TaskManagerResourceInfoProvider}; flink-runtime is not sealed, so the
 * split package loads from a jar in lib/ or the AM's class path.
 */
public class DriverAwareResourceAllocationStrategy implements ResourceAllocationStrategy {

    private static final Logger LOG =
            LoggerFactory.getLogger(DriverAwareResourceAllocationStrategy.class);

    /**
     * Logged when the strategy asks for a new driver TaskManager. JobManagerFailoverIT reads that a
     * recovered JobManager does not log it: it keeps the lost attempt's driver TaskManager.
     */
    public static final String PLANNING_DRIVER_TASK_MANAGER = "Planning a driver TaskManager {}.";

    private final ResourceAllocationStrategy delegate;
    private final ResourceProfile driverSlotProfile;
    private final Duration driverIdleTimeout;
    private final Duration startupGrace;
    private final LongSupplier clock;
    private final long startedAt;

    /**
     * @param delegate the strategy for every other requirement and TaskManager
     * @param driverSlotProfile the driver slot, which is also the driver TaskManager's total
     * @param driverIdleTimeout how long an idle driver TaskManager is kept
     */
    public DriverAwareResourceAllocationStrategy(
            ResourceAllocationStrategy delegate,
            ResourceProfile driverSlotProfile,
            Duration driverIdleTimeout) {
        this(
                delegate,
                driverSlotProfile,
                driverIdleTimeout,
                Duration.ZERO,
                System::currentTimeMillis);
    }

    /**
     * @param startupGrace how long after its creation no idle driver TaskManager is released, so
     *     that a driver TaskManager kept from a lost JobManager attempt waits for the recovered
     *     driver job's request
     * @param clock milliseconds, as {@link System#currentTimeMillis()}
     */
    DriverAwareResourceAllocationStrategy(
            ResourceAllocationStrategy delegate,
            ResourceProfile driverSlotProfile,
            Duration driverIdleTimeout,
            Duration startupGrace,
            LongSupplier clock) {
        this.delegate = Preconditions.checkNotNull(delegate);
        this.driverSlotProfile = Preconditions.checkNotNull(driverSlotProfile);
        this.driverIdleTimeout = Preconditions.checkNotNull(driverIdleTimeout);
        this.startupGrace = Preconditions.checkNotNull(startupGrace);
        this.clock = Preconditions.checkNotNull(clock);
        this.startedAt = clock.getAsLong();
        Preconditions.checkArgument(
                !driverSlotProfile.equals(ResourceProfile.UNKNOWN)
                        && !driverSlotProfile.equals(ResourceProfile.ANY),
                "The driver slot needs an explicit profile: %s",
                driverSlotProfile);
        Preconditions.checkArgument(!driverIdleTimeout.isNegative(), "Negative idle timeout.");
    }

    /**
     * The strategy with Flink's default strategy as delegate, built the way {@code
     * ResourceManagerRuntimeServices} builds it.
     *
     * @param startupGrace how long after the resource manager started no idle driver TaskManager is
     *     released: after a JobManager failover, so that a driver TaskManager kept from the lost
     *     attempt waits for the recovered driver; zero for a first attempt, which has none
     */
    public static DriverAwareResourceAllocationStrategy withDefaultStrategy(
            SlotManagerConfiguration configuration,
            ResourceProfile driverSlotProfile,
            Duration driverIdleTimeout,
            Duration startupGrace) {
        final ResourceProfile defaultTaskManager =
                SlotManagerUtils.generateTaskManagerTotalResourceProfile(
                        configuration.getDefaultWorkerResourceSpec());
        if (defaultTaskManager.equals(driverSlotProfile)
                && configuration.getNumSlotsPerWorker() == 1) {
            // Indistinguishable TaskManagers: the driver's rules would apply to all of them.
            LOG.warn(
                    "The default TaskManager ({}, one slot) has exactly the driver's size; every"
                            + " TaskManager of that size is treated as a driver TaskManager.",
                    defaultTaskManager);
        }
        return new DriverAwareResourceAllocationStrategy(
                new DefaultResourceAllocationStrategy(
                        defaultTaskManager,
                        configuration.getNumSlotsPerWorker(),
                        configuration.getTaskManagerLoadBalanceMode(),
                        configuration.getTaskManagerTimeout(),
                        configuration.getRedundantTaskManagerNum(),
                        configuration.getMinTotalCpu(),
                        configuration.getMinTotalMem()),
                driverSlotProfile,
                driverIdleTimeout,
                startupGrace,
                System::currentTimeMillis);
    }

    @Override
    public ResourceAllocationResult tryFulfillRequirements(
            Map<JobID, Collection<ResourceRequirement>> missingResources,
            TaskManagerResourceInfoProvider taskManagerResourceInfoProvider,
            BlockedTaskManagerChecker blockedTaskManagerChecker) {
        final Map<JobID, Integer> missingDriverSlots = new LinkedHashMap<>();
        final Map<JobID, Collection<ResourceRequirement>> otherRequirements = new HashMap<>();
        missingResources.forEach(
                (jobId, requirements) -> {
                    final List<ResourceRequirement> others = new ArrayList<>();
                    for (ResourceRequirement requirement : requirements) {
                        if (requirement.getResourceProfile().equals(driverSlotProfile)) {
                            missingDriverSlots.merge(
                                    jobId, requirement.getNumberOfRequiredSlots(), Integer::sum);
                        } else {
                            others.add(requirement);
                        }
                    }
                    if (!others.isEmpty()) {
                        otherRequirements.put(jobId, others);
                    }
                });

        final ResourceAllocationResult.Builder result = ResourceAllocationResult.builder();
        if (!missingDriverSlots.isEmpty()) {
            placeDriverSlots(
                    missingDriverSlots,
                    taskManagerResourceInfoProvider,
                    blockedTaskManagerChecker,
                    result);
        }
        // Always asked, also without requirements: it keeps redundant and minimum TaskManagers.
        addTo(
                result,
                delegate.tryFulfillRequirements(
                        otherRequirements,
                        new WithoutDriverTaskManagers(
                                taskManagerResourceInfoProvider, driverSlotProfile),
                        blockedTaskManagerChecker));
        return result.build();
    }

    @Override
    public ResourceReconcileResult tryReconcileClusterResources(
            TaskManagerResourceInfoProvider taskManagerResourceInfoProvider) {
        final ResourceReconcileResult others =
                delegate.tryReconcileClusterResources(
                        new WithoutDriverTaskManagers(
                                taskManagerResourceInfoProvider, driverSlotProfile));

        final List<TaskManagerInfo> taskManagersToRelease =
                new ArrayList<>(others.getTaskManagersToRelease());
        final long now = clock.getAsLong();
        final boolean inStartupGrace = now - startedAt < startupGrace.toMillis();
        for (TaskManagerInfo taskManager :
                taskManagerResourceInfoProvider.getRegisteredTaskManagers()) {
            if (isDriverTaskManager(taskManager)
                    && !inStartupGrace
                    && taskManager.isIdle()
                    && now - taskManager.getIdleSince() >= driverIdleTimeout.toMillis()) {
                taskManagersToRelease.add(taskManager);
            }
        }

        // Pending allocations are those of the last round: an empty pending driver TaskManager
        // is wanted by no driver any more.
        final List<PendingTaskManager> pendingTaskManagersToRelease =
                new ArrayList<>(others.getPendingTaskManagersToRelease());
        for (PendingTaskManager pending :
                taskManagerResourceInfoProvider.getPendingTaskManagers()) {
            if (isDriverTaskManager(pending)
                    && pending.getPendingSlotAllocationRecords().isEmpty()) {
                pendingTaskManagersToRelease.add(pending);
            }
        }

        // Flink reconciles right at the start, before the kept TaskManagers registered: the
        // minimum (driver.prewarm-taskmanagers) would start one more user TaskManager beside them.
        final List<PendingTaskManager> pendingTaskManagersToAllocate =
                inStartupGrace
                        ? List.of()
                        : new ArrayList<>(others.getPendingTaskManagersToAllocate());
        return new ResourceReconcileResult(
                pendingTaskManagersToAllocate, pendingTaskManagersToRelease, taskManagersToRelease);
    }

    private void placeDriverSlots(
            Map<JobID, Integer> missingDriverSlots,
            TaskManagerResourceInfoProvider taskManagers,
            BlockedTaskManagerChecker blockedTaskManagerChecker,
            ResourceAllocationResult.Builder result) {
        final Deque<TaskManagerInfo> freeRegistered =
                taskManagers.getRegisteredTaskManagers().stream()
                        .filter(this::isDriverTaskManager)
                        .filter(
                                taskManager ->
                                        !blockedTaskManagerChecker.isBlockedTaskManager(
                                                taskManager
                                                        .getTaskExecutorConnection()
                                                        .getResourceID()))
                        .filter(
                                taskManager ->
                                        taskManager
                                                .getAvailableResource()
                                                .allFieldsNoLessThan(driverSlotProfile))
                        .collect(Collectors.toCollection(ArrayDeque::new));
        // Every round re-plans all pending TaskManagers, so each pending one is free here.
        final Deque<PendingTaskManager> freePending =
                taskManagers.getPendingTaskManagers().stream()
                        .filter(this::isDriverTaskManager)
                        .collect(Collectors.toCollection(ArrayDeque::new));

        missingDriverSlots.forEach(
                (jobId, count) -> {
                    for (int i = 0; i < count; i++) {
                        if (!freeRegistered.isEmpty()) {
                            final InstanceID instanceId = freeRegistered.poll().getInstanceId();
                            result.addAllocationOnRegisteredResource(
                                    jobId, instanceId, driverSlotProfile);
                        } else {
                            final PendingTaskManager pending =
                                    freePending.isEmpty()
                                            ? newDriverTaskManager(result)
                                            : freePending.poll();
                            result.addAllocationOnPendingResource(
                                    jobId, pending.getPendingTaskManagerId(), driverSlotProfile);
                        }
                    }
                });
    }

    private PendingTaskManager newDriverTaskManager(ResourceAllocationResult.Builder result) {
        final PendingTaskManager pending = new PendingTaskManager(driverSlotProfile, 1);
        result.addPendingTaskManagerAllocate(pending);
        LOG.info(PLANNING_DRIVER_TASK_MANAGER, pending);
        return pending;
    }

    private boolean isDriverTaskManager(TaskManagerInfo taskManager) {
        return isDriverTaskManager(
                driverSlotProfile,
                taskManager.getTotalResource(),
                taskManager.getDefaultSlotResourceProfile());
    }

    private boolean isDriverTaskManager(PendingTaskManager taskManager) {
        return isDriverTaskManager(
                driverSlotProfile,
                taskManager.getTotalResourceProfile(),
                taskManager.getDefaultSlotResourceProfile());
    }

    /**
     * The slot manager matches a registering TaskManager to a pending one by these two profiles as
     * well; the driver's TaskManager holds one slot, so both equal the driver slot.
     */
    static boolean isDriverTaskManager(
            ResourceProfile driverSlotProfile,
            ResourceProfile totalProfile,
            ResourceProfile defaultSlotProfile) {
        return totalProfile.equals(driverSlotProfile)
                && defaultSlotProfile.equals(driverSlotProfile);
    }

    private static void addTo(
            ResourceAllocationResult.Builder result, ResourceAllocationResult other) {
        other.getUnfulfillableJobs().forEach(result::addUnfulfillableJob);
        other.getPendingTaskManagersToAllocate().forEach(result::addPendingTaskManagerAllocate);
        other.getAllocationsOnRegisteredResources()
                .forEach(
                        (jobId, byTaskManager) ->
                                byTaskManager.forEach(
                                        (instanceId, slots) ->
                                                forEachSlot(
                                                        slots,
                                                        profile ->
                                                                result
                                                                        .addAllocationOnRegisteredResource(
                                                                                jobId,
                                                                                instanceId,
                                                                                profile))));
        other.getAllocationsOnPendingResources()
                .forEach(
                        (pendingId, byJob) ->
                                byJob.forEach(
                                        (jobId, slots) ->
                                                forEachSlot(
                                                        slots,
                                                        profile ->
                                                                result
                                                                        .addAllocationOnPendingResource(
                                                                                jobId, pendingId,
                                                                                profile))));
    }

    private static void forEachSlot(
            ResourceCounter slots, java.util.function.Consumer<ResourceProfile> action) {
        for (Map.Entry<ResourceProfile, Integer> entry : slots.getResourcesWithCount()) {
            for (int i = 0; i < entry.getValue(); i++) {
                action.accept(entry.getKey());
            }
        }
    }
}
