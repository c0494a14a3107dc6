package org.apache.flink.runtime.resourcemanager.slotmanager;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.resources.CPUResource;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions.TaskManagerLoadBalanceMode;
import org.apache.flink.runtime.clusterframework.types.AllocationID;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.instance.InstanceID;
import org.apache.flink.runtime.resourcemanager.registration.TaskExecutorConnection;
import org.apache.flink.runtime.slots.ResourceRequirement;
import org.apache.flink.runtime.taskexecutor.TaskExecutorGateway;
import org.apache.flink.runtime.util.ResourceCounter;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the strategy against Flink's own {@link FineGrainedTaskManagerTracker}. */
class DriverAwareResourceAllocationStrategyTest {

    private static final int DEFAULT_SLOTS = 4;
    private static final ResourceProfile DEFAULT_TASK_MANAGER =
            ResourceProfile.newBuilder()
                    .setCpuCores(4)
                    .setTaskHeapMemoryMB(1000)
                    .setTaskOffHeapMemoryMB(0)
                    .setManagedMemoryMB(1000)
                    .setNetworkMemoryMB(100)
                    .build();
    private static final ResourceProfile DEFAULT_SLOT =
            SlotManagerUtils.generateDefaultSlotResourceProfile(
                    DEFAULT_TASK_MANAGER, DEFAULT_SLOTS);

    /** Larger than the default TaskManager's memory: unfulfillable for the default strategy. */
    private static final ResourceProfile DRIVER_SLOT =
            ResourceProfile.newBuilder()
                    .setCpuCores(2)
                    .setTaskHeapMemoryMB(2048)
                    .setTaskOffHeapMemoryMB(0)
                    .setManagedMemoryMB(0)
                    .setNetworkMemoryMB(0)
                    .build();

    private static final JobID DRIVER_JOB = new JobID();
    private static final JobID USER_JOB = new JobID();

    private FineGrainedTaskManagerTracker taskManagers;

    @BeforeEach
    void setUp() {
        taskManagers = new FineGrainedTaskManagerTracker();
    }

    @Test
    void plansADriverSizedAndADefaultTaskManager() {
        final ResourceAllocationResult result =
                strategy(Duration.ofSeconds(1))
                        .tryFulfillRequirements(
                                requirements(driverSlots(1), userSlots(2)),
                                taskManagers,
                                resourceId -> false);

        assertThat(result.getUnfulfillableJobs()).isEmpty();
        assertThat(result.getAllocationsOnRegisteredResources()).isEmpty();
        assertThat(result.getPendingTaskManagersToAllocate()).hasSize(2);
        final PendingTaskManager driverTaskManager = pendingOf(result, DRIVER_SLOT);
        final PendingTaskManager userTaskManager = pendingOf(result, DEFAULT_TASK_MANAGER);
        assertThat(driverTaskManager.getNumSlots()).isOne();
        assertThat(driverTaskManager.getDefaultSlotResourceProfile()).isEqualTo(DRIVER_SLOT);

        assertThat(
                        result.getAllocationsOnPendingResources()
                                .get(driverTaskManager.getPendingTaskManagerId()))
                .containsOnlyKeys(DRIVER_JOB)
                .containsEntry(DRIVER_JOB, ResourceCounter.withResource(DRIVER_SLOT, 1));
        assertThat(
                        result.getAllocationsOnPendingResources()
                                .get(userTaskManager.getPendingTaskManagerId()))
                .containsOnlyKeys(USER_JOB)
                .containsEntry(USER_JOB, ResourceCounter.withResource(DEFAULT_SLOT, 2));
    }

    @Test
    void defaultStrategyAloneCannotFulfillTheDriver() {
        final ResourceAllocationResult result =
                defaultStrategy()
                        .tryFulfillRequirements(
                                requirements(driverSlots(1), null),
                                taskManagers,
                                resourceId -> false);

        assertThat(result.getUnfulfillableJobs()).containsExactly(DRIVER_JOB);
    }

    @Test
    void reusesARegisteredDriverTaskManager() {
        final InstanceID driverTaskManager = register(DRIVER_SLOT, DRIVER_SLOT);
        final InstanceID userTaskManager = register(DEFAULT_TASK_MANAGER, DEFAULT_SLOT);

        final ResourceAllocationResult result =
                strategy(Duration.ofSeconds(1))
                        .tryFulfillRequirements(
                                requirements(driverSlots(1), userSlots(2)),
                                taskManagers,
                                resourceId -> false);

        assertThat(result.getPendingTaskManagersToAllocate()).isEmpty();
        assertThat(result.getAllocationsOnRegisteredResources().get(DRIVER_JOB))
                .containsOnlyKeys(driverTaskManager);
        assertThat(result.getAllocationsOnRegisteredResources().get(USER_JOB))
                .containsOnlyKeys(userTaskManager);
    }

    @Test
    void neverPlacesOtherJobsOnADriverTaskManager() {
        // Idle and big enough for two default slots.
        register(DRIVER_SLOT, DRIVER_SLOT);

        final ResourceAllocationResult result =
                strategy(Duration.ofSeconds(1))
                        .tryFulfillRequirements(
                                requirements(null, userSlots(2)),
                                taskManagers,
                                resourceId -> false);

        assertThat(result.getAllocationsOnRegisteredResources()).isEmpty();
        assertThat(result.getPendingTaskManagersToAllocate())
                .singleElement()
                .extracting(PendingTaskManager::getTotalResourceProfile)
                .isEqualTo(DEFAULT_TASK_MANAGER);
    }

    @Test
    void reusesAPendingDriverTaskManagerEveryRound() {
        final ResourceAllocationStrategy strategy = strategy(Duration.ofSeconds(1));
        final Map<JobID, Collection<ResourceRequirement>> requirements =
                requirements(driverSlots(1), null);

        final ResourceAllocationResult first =
                strategy.tryFulfillRequirements(requirements, taskManagers, resourceId -> false);
        applyLikeTheSlotManager(first);
        final ResourceAllocationResult second =
                strategy.tryFulfillRequirements(requirements, taskManagers, resourceId -> false);

        assertThat(second.getPendingTaskManagersToAllocate()).isEmpty();
        assertThat(second.getAllocationsOnPendingResources())
                .containsOnlyKeys(
                        first.getPendingTaskManagersToAllocate().get(0).getPendingTaskManagerId());
    }

    @Test
    void givesEveryDriverSlotItsOwnTaskManager() {
        final InstanceID busy = register(DRIVER_SLOT, DRIVER_SLOT);
        taskManagers.notifySlotStatus(
                new AllocationID(), new JobID(), busy, DRIVER_SLOT, SlotState.ALLOCATED);

        final ResourceAllocationResult result =
                strategy(Duration.ofSeconds(1))
                        .tryFulfillRequirements(
                                requirements(driverSlots(2), null),
                                taskManagers,
                                resourceId -> false);

        assertThat(result.getAllocationsOnRegisteredResources()).isEmpty();
        assertThat(result.getPendingTaskManagersToAllocate())
                .hasSize(2)
                .allSatisfy(
                        pending ->
                                assertThat(pending.getTotalResourceProfile())
                                        .isEqualTo(DRIVER_SLOT));
    }

    @Test
    void skipsBlockedDriverTaskManagers() {
        register(DRIVER_SLOT, DRIVER_SLOT);

        final ResourceAllocationResult result =
                strategy(Duration.ofSeconds(1))
                        .tryFulfillRequirements(
                                requirements(driverSlots(1), null),
                                taskManagers,
                                resourceId -> true);

        assertThat(result.getAllocationsOnRegisteredResources()).isEmpty();
        assertThat(result.getPendingTaskManagersToAllocate()).hasSize(1);
        final PendingTaskManager newDriverTaskManager =
                result.getPendingTaskManagersToAllocate().get(0);
        assertThat(newDriverTaskManager.getTotalResourceProfile()).isEqualTo(DRIVER_SLOT);
        assertThat(
                        result.getAllocationsOnPendingResources()
                                .get(newDriverTaskManager.getPendingTaskManagerId()))
                .as("the driver's slot goes to a new driver TaskManager instead")
                .containsOnlyKeys(DRIVER_JOB)
                .containsEntry(DRIVER_JOB, ResourceCounter.withResource(DRIVER_SLOT, 1));
    }

    @Test
    void releasesIdleDriverTaskManagersAfterTheirOwnTimeout() {
        final InstanceID idleDriver = register(DRIVER_SLOT, DRIVER_SLOT);
        final InstanceID busyDriver = register(DRIVER_SLOT, DRIVER_SLOT);
        taskManagers.notifySlotStatus(
                new AllocationID(), DRIVER_JOB, busyDriver, DRIVER_SLOT, SlotState.ALLOCATED);
        register(DEFAULT_TASK_MANAGER, DEFAULT_SLOT);

        final ResourceReconcileResult result =
                strategy(Duration.ZERO).tryReconcileClusterResources(taskManagers);

        assertThat(result.getTaskManagersToRelease())
                .extracting(TaskManagerInfo::getInstanceId)
                .containsExactly(idleDriver);
        assertThat(result.getPendingTaskManagersToAllocate()).isEmpty();
    }

    @Test
    void keepsIdleDriverTaskManagersWithinTheTimeout() {
        register(DRIVER_SLOT, DRIVER_SLOT);

        assertThat(
                        strategy(Duration.ofHours(1))
                                .tryReconcileClusterResources(taskManagers)
                                .needReconcile())
                .isFalse();
    }

    @Test
    void keepsAnIdleDriverTaskManagerForARecoveredDriverRightAfterStart() {
        // After a JobManager failover the kept driver TaskManager registers, idle, before the
        // recovered driver job asks for its slot.
        final long[] now = {System.currentTimeMillis()};
        final DriverAwareResourceAllocationStrategy strategy =
                new DriverAwareResourceAllocationStrategy(
                        defaultStrategy(),
                        DRIVER_SLOT,
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        () -> now[0]);
        final InstanceID keptDriver = register(DRIVER_SLOT, DRIVER_SLOT);

        now[0] += 29_000;
        assertThat(strategy.tryReconcileClusterResources(taskManagers).getTaskManagersToRelease())
                .isEmpty();
        final ResourceAllocationResult placed =
                strategy.tryFulfillRequirements(
                        requirements(driverSlots(1), null), taskManagers, resourceId -> false);
        assertThat(placed.getAllocationsOnRegisteredResources().get(DRIVER_JOB))
                .containsOnlyKeys(keptDriver);
        assertThat(placed.getPendingTaskManagersToAllocate()).isEmpty();

        now[0] += 1_000;
        assertThat(strategy.tryReconcileClusterResources(taskManagers).getTaskManagersToRelease())
                .extracting(TaskManagerInfo::getInstanceId)
                .as("an idle driver TaskManager nobody asked for goes after the grace")
                .containsExactly(keptDriver);
    }

    @Test
    void startsNoMinimumTaskManagerWhileTheKeptOnesRegister() {
        // A recovered resource manager reconciles at once; its kept user TaskManager registers
        // a moment later and already holds the minimum.
        final long[] now = {System.currentTimeMillis()};
        final DriverAwareResourceAllocationStrategy strategy =
                new DriverAwareResourceAllocationStrategy(
                        defaultStrategyWithMinimum(DEFAULT_TASK_MANAGER),
                        DRIVER_SLOT,
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        () -> now[0]);

        assertThat(strategy.tryReconcileClusterResources(taskManagers).needReconcile()).isFalse();

        now[0] += 30_000;
        assertThat(
                        strategy.tryReconcileClusterResources(taskManagers)
                                .getPendingTaskManagersToAllocate())
                .as("after the grace the minimum is Flink's again")
                .extracting(PendingTaskManager::getTotalResourceProfile)
                .containsExactly(DEFAULT_TASK_MANAGER);
    }

    @Test
    void releasesPendingDriverTaskManagersNoDriverWants() {
        final PendingTaskManager wanted = new PendingTaskManager(DRIVER_SLOT, 1);
        final PendingTaskManager unwanted = new PendingTaskManager(DRIVER_SLOT, 1);
        taskManagers.addPendingTaskManager(wanted);
        taskManagers.addPendingTaskManager(unwanted);
        final Map<PendingTaskManagerId, Map<JobID, ResourceCounter>> allocations = new HashMap<>();
        allocations.put(
                wanted.getPendingTaskManagerId(),
                Map.of(DRIVER_JOB, ResourceCounter.withResource(DRIVER_SLOT, 1)));
        taskManagers.replaceAllPendingAllocations(allocations);

        assertThat(
                        strategy(Duration.ofSeconds(1))
                                .tryReconcileClusterResources(taskManagers)
                                .getPendingTaskManagersToRelease())
                .containsExactly(unwanted);
    }

    @Test
    void defaultStrategySeesNoDriverTaskManagers() {
        final InstanceID driver = register(DRIVER_SLOT, DRIVER_SLOT);
        final InstanceID user = register(DEFAULT_TASK_MANAGER, DEFAULT_SLOT);
        taskManagers.addPendingTaskManager(new PendingTaskManager(DRIVER_SLOT, 1));
        final WithoutDriverTaskManagers view =
                new WithoutDriverTaskManagers(taskManagers, DRIVER_SLOT);

        assertThat(view.getRegisteredTaskManagers())
                .extracting(TaskManagerInfo::getInstanceId)
                .containsExactly(user);
        assertThat(view.getRegisteredTaskManager(driver)).isEmpty();
        assertThat(view.getPendingTaskManagers()).isEmpty();
        assertThat(
                        view.getPendingTaskManagersByTotalAndDefaultSlotResourceProfile(
                                DRIVER_SLOT, DRIVER_SLOT))
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------

    private static DriverAwareResourceAllocationStrategy strategy(Duration driverIdleTimeout) {
        return new DriverAwareResourceAllocationStrategy(
                defaultStrategy(), DRIVER_SLOT, driverIdleTimeout);
    }

    private static DefaultResourceAllocationStrategy defaultStrategy() {
        return new DefaultResourceAllocationStrategy(
                DEFAULT_TASK_MANAGER,
                DEFAULT_SLOTS,
                TaskManagerLoadBalanceMode.NONE,
                Duration.ofSeconds(30),
                0,
                new CPUResource(0),
                MemorySize.ZERO);
    }

    private static DefaultResourceAllocationStrategy defaultStrategyWithMinimum(
            ResourceProfile minimum) {
        return new DefaultResourceAllocationStrategy(
                DEFAULT_TASK_MANAGER,
                DEFAULT_SLOTS,
                TaskManagerLoadBalanceMode.NONE,
                Duration.ofSeconds(30),
                0,
                minimum.getCpuCores(),
                minimum.getTotalMemory());
    }

    private static ResourceRequirement driverSlots(int count) {
        return ResourceRequirement.create(DRIVER_SLOT, count);
    }

    private static ResourceRequirement userSlots(int count) {
        return ResourceRequirement.create(ResourceProfile.UNKNOWN, count);
    }

    private static Map<JobID, Collection<ResourceRequirement>> requirements(
            ResourceRequirement driver, ResourceRequirement user) {
        final Map<JobID, Collection<ResourceRequirement>> requirements = new HashMap<>();
        if (driver != null) {
            requirements.put(DRIVER_JOB, new java.util.ArrayList<>(List.of(driver)));
        }
        if (user != null) {
            requirements.put(USER_JOB, new java.util.ArrayList<>(List.of(user)));
        }
        return requirements;
    }

    private InstanceID register(ResourceProfile total, ResourceProfile defaultSlot) {
        final TaskExecutorConnection connection =
                new TaskExecutorConnection(ResourceID.generate(), unusedGateway());
        taskManagers.addTaskManager(connection, total, defaultSlot);
        return connection.getInstanceID();
    }

    /** What {@code FineGrainedSlotManager#checkResourceRequirements} does with a result. */
    private void applyLikeTheSlotManager(ResourceAllocationResult result) {
        result.getPendingTaskManagersToAllocate().forEach(taskManagers::addPendingTaskManager);
        taskManagers.replaceAllPendingAllocations(result.getAllocationsOnPendingResources());
    }

    private static PendingTaskManager pendingOf(
            ResourceAllocationResult result, ResourceProfile total) {
        return result.getPendingTaskManagersToAllocate().stream()
                .filter(pending -> pending.getTotalResourceProfile().equals(total))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No pending TaskManager of " + total));
    }

    private static TaskExecutorGateway unusedGateway() {
        return (TaskExecutorGateway)
                Proxy.newProxyInstance(
                        TaskExecutorGateway.class.getClassLoader(),
                        new Class<?>[] {TaskExecutorGateway.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("toString")) {
                                return "unused gateway";
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
    }
}
