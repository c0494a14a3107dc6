package dev.flinkdriver.entrypoint;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.dispatcher.DriverDiagnostics;
import dev.flinkdriver.dispatcher.DriverDispatcherFactory;
import dev.flinkdriver.driver.DriverInvokable;
import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.dispatcher.runner.DefaultDispatcherRunnerFactory;
import org.apache.flink.runtime.entrypoint.ClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.ClusterEntrypointUtils;
import org.apache.flink.runtime.entrypoint.DynamicParametersConfigurationParserFactory;
import org.apache.flink.runtime.entrypoint.SessionClusterEntrypoint;
import org.apache.flink.runtime.entrypoint.component.DefaultDispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.entrypoint.component.DispatcherResourceManagerComponentFactory;
import org.apache.flink.runtime.highavailability.HighAvailabilityServices;
import org.apache.flink.runtime.highavailability.HighAvailabilityServicesUtils;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.runtime.rest.SessionRestEndpointFactory;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystemUtils;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.runtime.util.JvmShutdownSafeguard;
import org.apache.flink.runtime.util.SignalHandler;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.entrypoint.YarnEntrypointUtils;

import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.ContainerId;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The ApplicationMaster of a driver application: Flink's REST endpoint and web UI, Flink's YARN
 * resource manager, and a {@code DriverDispatcher} that runs the driver job and shuts the cluster
 * down when the application ends.
 *
 * <p>A session entrypoint underneath, because only the session REST endpoint accepts the jobs
 * main() submits over REST.
 */
public class YarnDriverClusterEntrypoint extends SessionClusterEntrypoint {

    private final Path workingDirectory;

    public YarnDriverClusterEntrypoint(Configuration configuration, Path workingDirectory) {
        super(configuration);
        this.workingDirectory = workingDirectory;
    }

    @Override
    protected String getRPCPortRange(Configuration configuration) {
        return configuration.get(YarnConfigOptions.APPLICATION_MASTER_PORT);
    }

    @Override
    protected DispatcherResourceManagerComponentFactory
            createDispatcherResourceManagerComponentFactory(Configuration configuration) {
        DriverDiagnostics diagnostics = new DriverDiagnostics();
        CompletableFuture<String> restBaseUrl = new CompletableFuture<>();
        return new DefaultDispatcherResourceManagerComponentFactory(
                DefaultDispatcherRunnerFactory.createSessionRunner(
                        new DriverDispatcherFactory(
                                driverConfiguration(configuration),
                                diagnostics,
                                restBaseUrl,
                                DriverResources.fromConfiguration(configuration).slotProfile(),
                                DriverInvokable.class)),
                new DriverYarnResourceManagerFactory(diagnostics, restBaseUrl, this),
                SessionRestEndpointFactory.INSTANCE);
    }

    /**
     * A ZooKeeper outage costs leadership, not the JobManager's process; an entry a lost JobManager
     * left unreadable in HA's result stores costs a job's second run, not the application.
     */
    @Override
    protected HighAvailabilityServices createHaServices(
            Configuration configuration, Executor executor, RpcSystemUtils rpcSystemUtils)
            throws Exception {
        AbandonedResultEntries.remove(
                configuration, ManagementFactory.getRuntimeMXBean().getStartTime());
        return HighAvailabilityServicesUtils.createHighAvailabilityServices(
                configuration,
                executor,
                AddressResolution.NO_ADDRESS_RESOLUTION,
                rpcSystemUtils,
                new ZooKeeperOutageTolerance(this));
    }

    /** The client names the shipped jars relative to the container's working directory. */
    private Configuration driverConfiguration(Configuration configuration) {
        Configuration driver = new Configuration(configuration);
        driver.set(
                DriverInternalOptions.JAR,
                workingDirectory.resolve(configuration.get(DriverInternalOptions.JAR)).toString());
        List<String> libJars =
                configuration.get(DriverOptions.LIB_JARS).stream()
                        .map(j -> workingDirectory.resolve(j).toString())
                        .toList();
        driver.set(DriverOptions.LIB_JARS, libJars);
        return driver;
    }

    /**
     * Starts the user jobs' first TaskManager together with the driver's: started one after the
     * other, the two start-ups dominate a short application's run time.
     */
    static Configuration withPrewarmedTaskManagers(Configuration configuration) {
        int taskManagers = configuration.get(DriverResourceOptions.PREWARM_TASK_MANAGERS);
        if (taskManagers > 0 && !configuration.contains(ResourceManagerOptions.MIN_SLOT_NUM)) {
            configuration.set(
                    ResourceManagerOptions.MIN_SLOT_NUM,
                    taskManagers * configuration.get(TaskManagerOptions.NUM_TASK_SLOTS));
        }
        return configuration;
    }

    /**
     * With high availability, a JobManager after a failover places no slot before the TaskManagers
     * YARN kept from the lost attempt have registered, for up to Flink's TaskManager timeout (Flink
     * waits for none by default). Its recovered jobs declare their slots within a second of its
     * start, and a kept TaskManager registers a little later: without the wait the recovered driver
     * gets a new driver TaskManager beside its kept one. Flink's wait ends once every kept
     * TaskManager registered, and a first attempt, which has none, never waits. Without high
     * availability the kept TaskManagers know only the lost JobManager's address and never
     * register: nothing to wait for.
     */
    static Configuration withKeptTaskManagersAwaited(Configuration configuration) {
        if (HighAvailabilityMode.isHighAvailabilityModeActivated(configuration)
                && !configuration.contains(
                        ResourceManagerOptions.RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT)) {
            configuration.set(
                    ResourceManagerOptions.RESOURCE_MANAGER_PREVIOUS_WORKER_RECOVERY_TIMEOUT,
                    configuration.get(ResourceManagerOptions.TASK_MANAGER_TIMEOUT));
        }
        return configuration;
    }

    /** The driver's Flink application id follows from its YARN id, unless configured. */
    static Configuration withApplicationId(Configuration configuration, Map<String, String> env) {
        if (!DriverJobMarkers.hasApplicationId(configuration)) {
            DriverApplicationIds.yarnApplicationOf(env)
                    .map(DriverApplicationIds::of)
                    .ifPresent(id -> DriverJobMarkers.setApplicationId(configuration, id));
        }
        return configuration;
    }

    /** YARN names the AM's container after its application attempt: 1 unless the AM was lost. */
    static int applicationAttempt(Map<String, String> env) {
        String containerId = env.get(ApplicationConstants.Environment.CONTAINER_ID.key());
        try {
            return containerId == null
                    ? 1
                    : ContainerId.fromString(containerId).getApplicationAttemptId().getAttemptId();
        } catch (IllegalArgumentException e) {
            LOG.warn("Cannot tell the application attempt from container id {}.", containerId, e);
            return 1;
        }
    }

    public static void main(String[] args) {
        EnvironmentInformation.logEnvironmentInfo(
                LOG, YarnDriverClusterEntrypoint.class.getSimpleName(), args);
        SignalHandler.register(LOG);
        JvmShutdownSafeguard.installAsShutdownHook(LOG);

        Map<String, String> env = System.getenv();
        String workingDirectory = env.get(ApplicationConstants.Environment.PWD.key());
        if (workingDirectory == null) {
            throw new IllegalStateException(
                    "Working directory variable (PWD) not set: not started by YARN?");
        }
        try {
            YarnEntrypointUtils.logYarnEnvironmentInformation(env, LOG);
        } catch (Exception e) {
            LOG.warn("Could not log YARN environment information.", e);
        }
        Configuration dynamicParameters =
                ClusterEntrypointUtils.parseParametersOrExit(
                        args,
                        new DynamicParametersConfigurationParserFactory(),
                        YarnDriverClusterEntrypoint.class);
        Configuration configuration =
                HaStorageDefaults.apply(
                        YarnEntrypointUtils.loadConfiguration(
                                workingDirectory, dynamicParameters, env),
                        env);
        int attempt = applicationAttempt(env);
        if (ClosingAttempt.endIfAttemptsSpent(configuration, env, attempt)) {
            System.exit(0);
        }
        configuration.set(DriverInternalOptions.JOBMANAGER_ATTEMPT, attempt);
        ClusterEntrypoint.runClusterEntrypoint(
                new YarnDriverClusterEntrypoint(
                        withApplicationId(
                                withKeptTaskManagersAwaited(
                                        withPrewarmedTaskManagers(configuration)),
                                env),
                        Path.of(workingDirectory)));
    }
}
