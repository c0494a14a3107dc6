package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverApplicationNames;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.runtime.application.AbstractApplication;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.dispatcher.Dispatcher;
import org.apache.flink.runtime.dispatcher.DispatcherBootstrapFactory;
import org.apache.flink.runtime.dispatcher.DispatcherFactory;
import org.apache.flink.runtime.dispatcher.DispatcherId;
import org.apache.flink.runtime.dispatcher.DispatcherServices;
import org.apache.flink.runtime.dispatcher.JobMasterServiceLeadershipRunnerFactory;
import org.apache.flink.runtime.dispatcher.PartialDispatcherServicesWithPersistenceComponents;
import org.apache.flink.runtime.dispatcher.cleanup.CheckpointResourcesCleanupRunnerFactory;
import org.apache.flink.runtime.highavailability.ApplicationResult;
import org.apache.flink.runtime.jobgraph.tasks.TaskInvokable;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.streaming.api.graph.ExecutionPlan;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Creates the {@link DriverDispatcher} of a driver cluster, started with its {@link
 * DriverApplication}. Use it where a session cluster would use {@code SessionDispatcherFactory},
 * e.g. {@code DefaultDispatcherRunnerFactory.createSessionRunner(factory)}.
 */
public class DriverDispatcherFactory implements DispatcherFactory {

    private final Configuration driverConfiguration;

    private final DriverDiagnostics diagnostics;

    private final CompletableFuture<String> restBaseUrl;

    private final ResourceProfile driverProfile;

    private final ApplicationID applicationId;

    private final String applicationName;

    private final Class<? extends TaskInvokable> driverTask;

    /**
     * Dispatchers this JobManager's process created: one per leadership. A JobManager that loses
     * its ZooKeeper session loses leadership, and a new dispatcher recovers the application when it
     * regains it, in the same process and YARN attempt.
     */
    private final AtomicInteger leaderships = new AtomicInteger();

    /**
     * @param driverConfiguration the configuration main() runs with, including the {@link
     *     DriverOptions} ({@link DriverInternalOptions#JAR} is required); the application id in it
     *     ({@link DriverJobMarkers#applicationId}) fixes the application id, otherwise a random one
     *     is used
     * @param diagnostics where the outcome and progress are published for YARN
     * @param restBaseUrl to be completed by the entrypoint with the REST endpoint's base URL
     *     ({@code RestServerEndpoint#getRestBaseUrl()}) once it runs; the driver job is submitted
     *     only then
     * @param driverProfile resources of the driver's slot, {@link ResourceProfile#UNKNOWN} for a
     *     default slot
     * @param driverTask the driver job's task, which runs main() in the driver's TaskManager
     */
    public DriverDispatcherFactory(
            Configuration driverConfiguration,
            DriverDiagnostics diagnostics,
            CompletableFuture<String> restBaseUrl,
            ResourceProfile driverProfile,
            Class<? extends TaskInvokable> driverTask) {
        this.driverTask = checkNotNull(driverTask);
        this.driverConfiguration = new Configuration(checkNotNull(driverConfiguration));
        this.diagnostics = checkNotNull(diagnostics);
        this.restBaseUrl = checkNotNull(restBaseUrl);
        this.driverProfile = checkNotNull(driverProfile);
        // Fixed here, not per dispatcher: a new leader must run the same application. With high
        // availability the next JobManager (a new YARN attempt, a new JVM) must find the same
        // one too, so it derives from the HA cluster id (the YARN application id by default).
        this.applicationId =
                DriverJobMarkers.applicationId(driverConfiguration)
                        .orElseGet(() -> fromClusterId(driverConfiguration));
        this.applicationName = DriverApplicationNames.of(driverConfiguration);
    }

    public ApplicationID getApplicationId() {
        return applicationId;
    }

    /** The driver job's id, derived from the application id the way Flink does for one job. */
    public JobID getDriverJobId() {
        return driverJobId(applicationId);
    }

    /** The driver job's id for an application id: the one place this derivation lives. */
    public static JobID driverJobId(ApplicationID applicationId) {
        return JobID.fromHexString(applicationId.toHexString());
    }

    /** Ignores the given bootstrap factory: a driver cluster always runs its driver application. */
    @Override
    public Dispatcher createDispatcher(
            RpcService rpcService,
            DispatcherId fencingToken,
            Collection<ExecutionPlan> recoveredJobs,
            Collection<JobResult> recoveredDirtyJobResults,
            Collection<AbstractApplication> recoveredApplications,
            Collection<ApplicationResult> recoveredDirtyApplicationResults,
            DispatcherBootstrapFactory dispatcherBootstrapFactory,
            PartialDispatcherServicesWithPersistenceComponents partialDispatcherServices)
            throws Exception {
        Configuration clusterConfiguration = partialDispatcherServices.getConfiguration();
        int jobManagerAttempt = driverConfiguration.get(DriverInternalOptions.JOBMANAGER_ATTEMPT);
        int leadership = leaderships.incrementAndGet();
        DriverRecovery recovery =
                new DriverRecovery(
                        applicationId,
                        getDriverJobId(),
                        jobManagerAttempt,
                        leadership,
                        recoveredJobs,
                        recoveredDirtyJobResults);
        DriverApplication driverApplication =
                new DriverApplication(
                        applicationId,
                        getDriverJobId(),
                        applicationName,
                        clusterConfiguration,
                        driverConfiguration,
                        restBaseUrl,
                        driverProfile,
                        driverTask);
        return new DriverDispatcher(
                rpcService,
                fencingToken,
                recoveredJobs,
                recoveredDirtyJobResults,
                recoveredApplications,
                recoveredDirtyApplicationResults,
                driverApplication,
                DispatcherServices.from(
                        partialDispatcherServices,
                        JobMasterServiceLeadershipRunnerFactory.INSTANCE,
                        CheckpointResourcesCleanupRunnerFactory.INSTANCE),
                diagnostics,
                clusterConfiguration.get(RpcOptions.ASK_TIMEOUT_DURATION),
                recovery,
                jobManagerAttempt,
                leadership);
    }

    /** Derived from the HA cluster id when high availability is on, else random. */
    static ApplicationID fromClusterId(Configuration configuration) {
        if (!HighAvailabilityMode.isHighAvailabilityModeActivated(configuration)) {
            return new ApplicationID();
        }
        UUID uuid =
                UUID.nameUUIDFromBytes(
                        ("flink-driver/" + configuration.get(HighAvailabilityOptions.HA_CLUSTER_ID))
                                .getBytes(StandardCharsets.UTF_8));
        return new ApplicationID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }
}
