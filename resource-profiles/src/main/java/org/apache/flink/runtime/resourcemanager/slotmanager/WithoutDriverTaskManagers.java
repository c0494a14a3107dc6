package org.apache.flink.runtime.resourcemanager.slotmanager;

import org.apache.flink.runtime.clusterframework.types.AllocationID;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.instance.InstanceID;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A view of the cluster's TaskManagers without the driver's, for the strategy that places every
 * other job. In this package because {@link TaskManagerResourceInfoProvider} is package-private.
 */
final class WithoutDriverTaskManagers implements TaskManagerResourceInfoProvider {

    private final TaskManagerResourceInfoProvider all;
    private final ResourceProfile driverSlotProfile;

    WithoutDriverTaskManagers(
            TaskManagerResourceInfoProvider all, ResourceProfile driverSlotProfile) {
        this.all = all;
        this.driverSlotProfile = driverSlotProfile;
    }

    @Override
    public Collection<? extends TaskManagerInfo> getRegisteredTaskManagers() {
        return all.getRegisteredTaskManagers().stream()
                .filter(taskManager -> !isDriver(taskManager))
                .collect(Collectors.toList());
    }

    @Override
    public Optional<TaskManagerInfo> getRegisteredTaskManager(InstanceID instanceId) {
        return all.getRegisteredTaskManager(instanceId)
                .filter(taskManager -> !isDriver(taskManager));
    }

    @Override
    public Collection<PendingTaskManager> getPendingTaskManagers() {
        return all.getPendingTaskManagers().stream()
                .filter(
                        pending ->
                                !isDriver(
                                        pending.getTotalResourceProfile(),
                                        pending.getDefaultSlotResourceProfile()))
                .collect(Collectors.toList());
    }

    @Override
    public Optional<TaskManagerSlotInformation> getAllocatedOrPendingSlot(
            AllocationID allocationId) {
        return all.getAllocatedOrPendingSlot(allocationId)
                .filter(slot -> getRegisteredTaskManager(slot.getInstanceId()).isPresent());
    }

    @Override
    public Collection<PendingTaskManager>
            getPendingTaskManagersByTotalAndDefaultSlotResourceProfile(
                    ResourceProfile totalResourceProfile,
                    ResourceProfile defaultSlotResourceProfile) {
        return isDriver(totalResourceProfile, defaultSlotResourceProfile)
                ? Collections.emptyList()
                : all.getPendingTaskManagersByTotalAndDefaultSlotResourceProfile(
                        totalResourceProfile, defaultSlotResourceProfile);
    }

    private boolean isDriver(TaskManagerInfo taskManager) {
        return isDriver(
                taskManager.getTotalResource(), taskManager.getDefaultSlotResourceProfile());
    }

    private boolean isDriver(ResourceProfile total, ResourceProfile defaultSlot) {
        return DriverAwareResourceAllocationStrategy.isDriverTaskManager(
                driverSlotProfile, total, defaultSlot);
    }
}
