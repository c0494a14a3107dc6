package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobGraphs;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.DriverRestartStrategy;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.RemoteExecutor;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Runs the application's main() inside the driver task, as a client of the cluster it runs in: of
 * its dispatcher over RPC on a driver cluster ({@link DriverOptions#JOB_SUBMISSION}), else of its
 * REST endpoint.
 */
public final class DriverProgramRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DriverProgramRunner.class);

    /**
     * Logged on a cluster other than a driver cluster: where the driver's code came from.
     * ExistingClusterIT reads it.
     */
    public static final String DRIVER_CODE_LOADED_FROM = "Driver code loaded from {}.";

    /** Bound of one status request to the cluster, on a cluster without DriverDispatcher. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Bound of the cancellations of the driver's jobs, on a cluster without DriverDispatcher. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

    private final Configuration taskManagerConfiguration;

    private final Configuration driverJobConfiguration;

    private final List<URL> userCodeUrls;

    private final int driverAttempt;

    private final String taskManagerAddress;

    /**
     * @param taskManagerConfiguration the configuration of the TaskManager the driver runs in
     * @param driverJobConfiguration the driver job's configuration (see {@link DriverJobGraphs})
     * @param userCodeUrls the driver task's user class path: the application jar (a blob file) and
     *     the library jars
     * @param driverAttempt the driver task's attempt number: 0 at first, one more per restart
     * @param taskManagerAddress the TaskManager's external address, where the driver's own RPC
     *     service is reached
     */
    public DriverProgramRunner(
            Configuration taskManagerConfiguration,
            Configuration driverJobConfiguration,
            List<URL> userCodeUrls,
            int driverAttempt,
            String taskManagerAddress) {
        this.taskManagerConfiguration = checkNotNull(taskManagerConfiguration);
        this.driverJobConfiguration = checkNotNull(driverJobConfiguration);
        this.userCodeUrls = new ArrayList<>(checkNotNull(userCodeUrls));
        this.driverAttempt = driverAttempt;
        this.taskManagerAddress = checkNotNull(taskManagerAddress);
    }

    public DriverProgramRunner(
            Configuration taskManagerConfiguration,
            Configuration driverJobConfiguration,
            List<URL> userCodeUrls) {
        this(taskManagerConfiguration, driverJobConfiguration, userCodeUrls, 0, "localhost");
    }

    /** Runs main() to its end; throws what main() threw. */
    public void run() throws Exception {
        if (PythonDriverRunner.isPython(driverJobConfiguration)) {
            PythonDriverRunner.run(this::runProgram);
        } else {
            runProgram();
        }
    }

    private void runProgram() throws Exception {
        checkArgument(!userCodeUrls.isEmpty(), "The driver task has no application jar.");
        URL jar = findApplicationJar(userCodeUrls, driverJobConfiguration);
        List<URL> libraries = new ArrayList<>(userCodeUrls);
        libraries.remove(jar);

        Configuration configuration = programConfiguration();
        // A Python program: main() is Flink's PythonDriver, which finds the flink-python jar in
        // FLINK_OPT_DIR as it does in application mode; the driver job's jar is that jar.
        boolean python = PythonDriverRunner.isPython(driverJobConfiguration);
        File workingDirectory = new File(System.getProperty("user.dir"));
        String[] arguments =
                driverJobConfiguration.get(DriverOptions.PROGRAM_ARGS).toArray(new String[0]);
        if (python) {
            PythonDriverRunner.absolutePaths(configuration, workingDirectory);
            arguments = PythonDriverRunner.arguments(List.of(arguments), workingDirectory);
        }
        ApplicationID applicationId =
                DriverJobMarkers.applicationId(driverJobConfiguration)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                DriverInternalOptions.APPLICATION_ID.key()
                                                        + " is not set in the driver job."));
        DriverJobDecorator decorator =
                new DriverJobDecorator(
                        driverJobConfiguration
                                .getOptional(DriverOptions.JOB_NAME_PREFIX)
                                .orElse(""),
                        applicationId,
                        // Set on the driver job by the JobManager that submitted or recovered it.
                        DriverJobMarkers.jobManagerAttempt(driverJobConfiguration),
                        DriverJobMarkers.jobManagerLeadership(driverJobConfiguration),
                        driverAttempt,
                        DriverJobRestore.of(configuration, driverJobConfiguration));

        try (DriverDispatcherConnection connection = openConnection(configuration);
                PackagedProgram program =
                        PackagedProgram.newBuilder()
                                .setJarFile(python ? null : new File(jar.toURI()))
                                .setUserClassPaths(libraries)
                                .setEntryPointClassName(
                                        driverJobConfiguration.get(DriverOptions.MAIN_CLASS))
                                .setArguments(arguments)
                                .setConfiguration(configuration)
                                .build()) {
            // ClientUtils.executeProgram does not set pipeline.jars (the CLI does); without them
            // the jobs' tasks cannot load user classes, e.g. the first lambda fails with a
            // ClassCastException about SerializedLambda.
            Set<String> jars = new LinkedHashSet<>();
            program.getJobJarAndDependencies().forEach(url -> jars.add(url.toString()));
            libraries.forEach(url -> jars.add(url.toString()));
            configuration.set(PipelineOptions.JARS, new ArrayList<>(jars));

            LOG.info(
                    "Running main() of {} for driver application {} (driver attempt {}) against"
                            + " {}.",
                    program.getMainClassName(),
                    applicationId,
                    driverAttempt + 1,
                    driverJobConfiguration.get(DriverInternalOptions.REST_ADDRESS));
            if (!driverJobConfiguration.get(DriverInternalOptions.MANAGE_JOBS)) {
                // A driver cluster: the DriverDispatcher follows the jobs and ends the application.
                DefaultExecutorServiceLoader executors = new DefaultExecutorServiceLoader();
                ClientUtils.executeProgram(
                        connection != null
                                ? new DriverExecutorServiceLoader(executors, decorator, connection)
                                : new DriverExecutorServiceLoader(executors, decorator),
                        configuration,
                        program,
                        false,
                        false);
                return;
            }
            // Any other cluster: the driver follows the jobs main() submits itself. Its code came
            // with the job (child-first from the job's jars, even where lib/ has a copy).
            LOG.info(
                    DRIVER_CODE_LOADED_FROM,
                    DriverProgramRunner.class.getProtectionDomain().getCodeSource().getLocation());
            DriverJobTracker jobs = new DriverJobTracker(REQUEST_TIMEOUT, CANCEL_TIMEOUT);
            try {
                ClientUtils.executeProgram(
                        new DriverExecutorServiceLoader(
                                new DefaultExecutorServiceLoader(), decorator, jobs),
                        configuration,
                        program,
                        false,
                        false);
            } catch (Throwable t) {
                LOG.info(
                        "main() of driver application {} failed; cancelling its jobs {}.",
                        applicationId,
                        jobs.jobIds());
                jobs.cancelAll();
                throw t;
            }
            LOG.info(
                    "main() of driver application {} returned; waiting for its NORMAL jobs.",
                    applicationId);
            jobs.awaitNormalJobsThenCancelDaemons();
        }
    }

    /**
     * The RPC connection to the DriverDispatcher that runs this driver, opened before main() starts
     * so that it is ready by main()'s first execute(); none for REST submission or where no
     * DriverDispatcher runs the driver (an existing cluster).
     */
    @Nullable
    private DriverDispatcherConnection openConnection(Configuration configuration) {
        if (configuration.get(DriverOptions.JOB_SUBMISSION) != DriverOptions.JobSubmission.RPC
                || driverJobConfiguration.get(DriverInternalOptions.MANAGE_JOBS)) {
            return null;
        }
        return DriverJobMarkers.dispatcher(driverJobConfiguration)
                .map(
                        endpoint ->
                                DriverDispatcherConnection.open(
                                        configuration, endpoint, taskManagerAddress))
                .orElse(null);
    }

    /** main()'s configuration: the driver's, targeting the cluster's REST endpoint. */
    Configuration programConfiguration() throws URISyntaxException {
        Configuration configuration = new Configuration(taskManagerConfiguration);
        configuration.addAll(driverJobConfiguration);

        // The driver job's own restart strategy must not reach the jobs main() submits.
        DriverRestartStrategy.restoreProgramSettings(configuration);

        URI rest =
                new URI(required(driverJobConfiguration, DriverInternalOptions.REST_ADDRESS.key()));
        int port = rest.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(rest.getScheme()) ? 443 : 80;
        }
        configuration.set(DeploymentOptions.TARGET, RemoteExecutor.NAME);
        configuration.set(RestOptions.ADDRESS, rest.getHost());
        configuration.set(RestOptions.PORT, port);
        // The driver waits for its jobs the way a CLI client in attached mode would.
        configuration.set(DeploymentOptions.ATTACHED, true);
        return configuration;
    }

    /** The jar whose blob key the driver job recorded; the first one when none was recorded. */
    static URL findApplicationJar(List<URL> userCodeUrls, Configuration driverJobConfiguration) {
        String blobKey = driverJobConfiguration.get(DriverInternalOptions.JAR_BLOB_KEY);
        if (blobKey != null) {
            for (URL url : userCodeUrls) {
                // The blob cache stores a permanent blob as a file named after its key.
                if (url.getPath().endsWith(blobKey)) {
                    return url;
                }
            }
            LOG.warn(
                    "No jar with blob key {} among {}; taking the first one as application jar.",
                    blobKey,
                    userCodeUrls);
        }
        return userCodeUrls.get(0);
    }

    private static String required(Configuration configuration, String key) {
        String value = configuration.toMap().get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(key + " is not set in the driver job.");
        }
        return value;
    }
}
