package dev.flinkdriver.entrypoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.runtime.blocklist.BlocklistUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.entrypoint.ClusterInformation;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.io.network.partition.ResourceManagerPartitionTrackerImpl;
import org.apache.flink.runtime.metrics.groups.ResourceManagerMetricGroup;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServices;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager;
import org.apache.flink.runtime.resourcemanager.active.ActiveResourceManagerFactory;
import org.apache.flink.runtime.resourcemanager.active.ResourceManagerDriver;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.security.token.DelegationTokenManager;
import org.apache.flink.yarn.YarnWorkerNode;

import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Flink's active resource manager, except that a TaskManager that leaves because the resource
 * manager's leadership changed keeps its container. A TaskManager learns of a lost leadership from
 * ZooKeeper itself, often before this resource manager does, and tells it that it disconnects;
 * Flink's resource manager then stops the TaskManager's container, although the next leader (in
 * this same process, see {@link AmRegistration}) would take it over, running tasks and all.
 *
 * <p>It also tells the full-queue check ({@link ContainerWaitCheck}) of every TaskManager that
 * registers: what a container taken over from an earlier attempt or leadership holds.
 */
final class LeadershipAwareResourceManager extends ActiveResourceManager<YarnWorkerNode> {

    /** How a TaskManager words a disconnect after the leader changed or was lost. */
    static final String LEADER_CHANGED = "ResourceManager leader changed";

    private final BiConsumer<ResourceID, WorkerResourceSpec> workerRegistrations;

    /**
     * @param workerRegistrations told of every TaskManager that registers, with its resources: what
     *     a container taken over from an earlier attempt or leadership holds
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    LeadershipAwareResourceManager(
            ResourceManagerDriver<YarnWorkerNode> driver,
            BiConsumer<ResourceID, WorkerResourceSpec> workerRegistrations,
            Configuration configuration,
            RpcService rpcService,
            UUID leaderSessionId,
            ResourceID resourceId,
            HeartbeatServices heartbeatServices,
            DelegationTokenManager delegationTokenManager,
            FatalErrorHandler fatalErrorHandler,
            ClusterInformation clusterInformation,
            ResourceManagerMetricGroup resourceManagerMetricGroup,
            ResourceManagerRuntimeServices runtimeServices,
            Executor ioExecutor)
            throws Exception {
        // As Flink's ActiveResourceManagerFactory builds it.
        super(
                driver,
                configuration,
                rpcService,
                leaderSessionId,
                resourceId,
                heartbeatServices,
                delegationTokenManager,
                runtimeServices.getSlotManager(),
                ResourceManagerPartitionTrackerImpl::new,
                BlocklistUtils.loadBlocklistHandlerFactory(configuration),
                runtimeServices.getJobLeaderIdService(),
                clusterInformation,
                fatalErrorHandler,
                resourceManagerMetricGroup,
                ActiveResourceManagerFactory.createStartWorkerFailureRater(configuration),
                configuration.get(ResourceManagerOptions.START_WORKER_RETRY_INTERVAL),
                configuration.get(ResourceManagerOptions.TASK_MANAGER_REGISTRATION_TIMEOUT),
                configuration.get(
                        ResourceManagerOptions.RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT),
                ioExecutor);
        this.workerRegistrations = workerRegistrations;
    }

    @Override
    protected void onWorkerRegistered(
            YarnWorkerNode worker, WorkerResourceSpec workerResourceSpec) {
        super.onWorkerRegistered(worker, workerResourceSpec);
        workerRegistrations.accept(worker.getResourceID(), workerResourceSpec);
    }

    @Override
    public void disconnectTaskManager(ResourceID resourceId, Exception cause) {
        if (leftForAnotherLeader(cause)) {
            log.info(
                    "TaskManager {} disconnects since the leadership changed; its container is"
                            + " kept for the next leader.",
                    resourceId.getStringWithMetadata());
            closeTaskManagerConnection(resourceId, cause);
            return;
        }
        super.disconnectTaskManager(resourceId, cause);
    }

    static boolean leftForAnotherLeader(Exception cause) {
        return cause != null
                && cause.getMessage() != null
                && cause.getMessage().startsWith(LEADER_CHANGED);
    }
}
