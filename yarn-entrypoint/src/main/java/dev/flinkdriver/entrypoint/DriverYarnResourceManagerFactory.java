package dev.flinkdriver.entrypoint;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.dispatcher.DriverDiagnostics;
import dev.flinkdriver.resources.DriverResourceManagers;
import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.entrypoint.ClusterInformation;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.metrics.groups.ResourceManagerMetricGroup;
import org.apache.flink.runtime.resourcemanager.ResourceManager;
import org.apache.flink.runtime.resourcemanager.ResourceManagerProcessContext;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServices;
import org.apache.flink.runtime.resourcemanager.ResourceManagerRuntimeServicesConfiguration;
import org.apache.flink.runtime.resourcemanager.active.ActiveResourceManagerFactory;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.security.token.DelegationTokenManager;
import org.apache.flink.util.ConfigurationException;
import org.apache.flink.yarn.YarnWorkerNode;
import org.apache.flink.yarn.configuration.YarnResourceManagerDriverConfiguration;
import org.apache.flink.yarn.entrypoint.YarnWorkerResourceSpecFactory;

import javax.annotation.Nullable;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Flink's YARN resource manager with {@link DriverYarnResourceManagerDriver}. Flink's {@code
 * YarnResourceManagerFactory} has a private constructor, so its three short overrides are repeated
 * here.
 */
final class DriverYarnResourceManagerFactory extends ActiveResourceManagerFactory<YarnWorkerNode> {

    private final DriverDiagnostics diagnostics;
    private final CompletableFuture<String> restBaseUrl;

    /** The one YARN client of this process, once the first resource manager created it. */
    private final AtomicReference<QueueRecordingClient> yarnClient = new AtomicReference<>();

    /** One per process: every leadership's resource manager shares it. */
    private final AmRegistration registration;

    /**
     * @param fatalErrorHandler the process's: YARN's shutdown request while no resource manager
     *     leads goes there, as Flink's resource manager's fatal errors do
     */
    DriverYarnResourceManagerFactory(
            DriverDiagnostics diagnostics,
            CompletableFuture<String> restBaseUrl,
            FatalErrorHandler fatalErrorHandler) {
        this.diagnostics = diagnostics;
        this.restBaseUrl = restBaseUrl;
        this.registration =
                new AmRegistration(
                        (heartbeatIntervalMillis, callbacks) -> {
                            yarnClient.set(
                                    new QueueRecordingClient(
                                            new LiveProgressAmrmClient(diagnostics::getProgress),
                                            heartbeatIntervalMillis,
                                            callbacks));
                            return yarnClient.get();
                        },
                        fatalErrorHandler);
    }

    /** Flink's YARN resource manager driver, within the full-queue check. */
    @Override
    protected ContainerWaitCheck createResourceManagerDriver(
            Configuration configuration, String webInterfaceUrl, String rpcAddress) {
        // The REST endpoint's base URL reaches the resource manager only; the driver job needs
        // it to submit main()'s jobs to this cluster.
        restBaseUrl.complete(webInterfaceUrl);
        DriverResources driverResources = DriverResources.fromConfiguration(configuration);
        return new ContainerWaitCheck(
                new DriverYarnResourceManagerDriver(
                        configuration,
                        new YarnResourceManagerDriverConfiguration(
                                System.getenv(), rpcAddress, webInterfaceUrl),
                        diagnostics,
                        registration,
                        driverResources),
                configuration.get(DriverResourceOptions.CONTAINER_WAIT_TIMEOUT),
                driverResources,
                yarnClient::get,
                diagnostics.failureRequests()::request,
                System::currentTimeMillis);
    }

    /** Flink's resource manager, keeping the containers of TaskManagers a lost leadership left. */
    @Override
    public ResourceManager<YarnWorkerNode> createResourceManager(
            Configuration configuration,
            ResourceID resourceId,
            RpcService rpcService,
            UUID leaderSessionId,
            HeartbeatServices heartbeatServices,
            DelegationTokenManager delegationTokenManager,
            FatalErrorHandler fatalErrorHandler,
            ClusterInformation clusterInformation,
            @Nullable String webInterfaceUrl,
            ResourceManagerMetricGroup resourceManagerMetricGroup,
            ResourceManagerRuntimeServices resourceManagerRuntimeServices,
            Executor ioExecutor)
            throws Exception {
        ContainerWaitCheck driver =
                createResourceManagerDriver(
                        configuration, webInterfaceUrl, rpcService.getAddress());
        return new LeadershipAwareResourceManager(
                driver,
                driver::workerRegistered,
                configuration,
                rpcService,
                leaderSessionId,
                resourceId,
                heartbeatServices,
                delegationTokenManager,
                fatalErrorHandler,
                clusterInformation,
                resourceManagerMetricGroup,
                resourceManagerRuntimeServices,
                ioExecutor);
    }

    /** The slot manager gets an allocation strategy that gives the driver its own TaskManager. */
    @Override
    public ResourceManager<YarnWorkerNode> createResourceManager(
            ResourceManagerProcessContext context, UUID leaderSessionId) throws Exception {
        // The slot manager keeps a taken-over driver TaskManager for the recovered driver job.
        context.getRmConfig()
                .set(DriverInternalOptions.JOBMANAGER_LEADERSHIP, registration.leaderships() + 1);
        return DriverResourceManagers.createResourceManager(this, context, leaderSessionId);
    }

    @Override
    protected ResourceManagerRuntimeServicesConfiguration
            createResourceManagerRuntimeServicesConfiguration(Configuration configuration)
                    throws ConfigurationException {
        return ResourceManagerRuntimeServicesConfiguration.fromConfiguration(
                configuration, YarnWorkerResourceSpecFactory.INSTANCE);
    }

    @Override
    public boolean supportMultiLeaderSession() {
        // YARN lets an AM register only once, so Flink's own YARN deployment ends a JobManager
        // that lost leadership; AmRegistration lets the next leadership reuse the registration.
        return true;
    }
}
