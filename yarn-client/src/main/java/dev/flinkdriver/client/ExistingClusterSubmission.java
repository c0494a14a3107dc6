package dev.flinkdriver.client;

import dev.flinkdriver.api.DriverApplicationNames;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobGraphs;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.driver.DriverInvokable;
import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;
import dev.flinkdriver.sql.SqlScriptDriver;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code flink-driver run -D -m host:port} and {@code run -D -yid <applicationId>}: submits the
 * driver job to a Flink cluster that already runs (a standalone session, a Flink session on YARN,
 * any Flink 2.3 REST endpoint) and returns; the cluster keeps running when the application ends.
 *
 * <p>Such a cluster has no DriverDispatcher, so the driver brings its own code and bookkeeping: the
 * driver-task and driver-api jars travel as job jars (Flink's child-first class loading takes
 * {@code dev.flinkdriver} classes from it even where the cluster's lib/ has a copy), and {@link
 * DriverOptions#MANAGE_JOBS} makes the driver task cancel its jobs when main() fails, and cancel
 * its DAEMON jobs once main() and its NORMAL jobs have ended. The cluster's slots are what they
 * are: the driver runs in a default slot, whatever the driver resource options say.
 */
final class ExistingClusterSubmission {

    private static final Logger LOG = LoggerFactory.getLogger(ExistingClusterSubmission.class);

    private static final long SUBMIT_TIMEOUT_SECONDS = 120;

    private final Configuration effective;
    private final PrintStream out;

    ExistingClusterSubmission(Configuration effective, PrintStream out) {
        this.effective = effective;
        this.out = out;
    }

    /**
     * @param address the value of {@code -m}, or null when {@code yarn.application.id} names the
     *     cluster
     */
    int submit(
            String address,
            Path jar,
            List<Path> libJars,
            String mainClass,
            List<String> programArgs)
            throws Exception {
        String restUrl = restBaseUrl(address);
        URI rest = URI.create(restUrl);

        Configuration driver = new Configuration(effective);
        driver.removeConfig(DeploymentOptions.TARGET);
        driver.removeConfig(YarnConfigOptions.APPLICATION_ID);
        driver.set(DriverOptions.MAIN_CLASS, mainClass);
        // As URIs: the REST client uploads the job's jars from local files named by URI.
        driver.set(DriverInternalOptions.JAR, jar.toUri().toString());
        driver.set(
                DriverOptions.LIB_JARS, libJars.stream().map(p -> p.toUri().toString()).toList());
        driver.set(DriverOptions.PROGRAM_ARGS, programArgs);
        driver.set(DriverInternalOptions.MANAGE_JOBS, true);
        String name = DriverApplicationNames.of(driver);
        driver.set(DriverOptions.APPLICATION_NAME, name);

        String resourceNote = resourceNote();

        ApplicationID applicationId = new ApplicationID();
        // The REST handler derives the application id from the job id; so do we.
        JobID driverJobId = JobID.fromHexString(applicationId.toHexString());
        JobGraph jobGraph =
                DriverJobGraphs.create(
                        driverJobId,
                        applicationId,
                        name,
                        driver,
                        restUrl,
                        ResourceProfile.UNKNOWN,
                        DriverInvokable.class);
        // The driver's code travels with the job: the cluster need not be a flink-driver one.
        for (Path driverJar : driverJars(mainClass)) {
            jobGraph.addJar(new org.apache.flink.core.fs.Path(driverJar.toUri()));
        }

        Configuration clientConfig = new Configuration(effective);
        clientConfig.set(RestOptions.ADDRESS, rest.getHost());
        clientConfig.set(RestOptions.PORT, port(rest));
        boundRetries(clientConfig);
        LOG.info("Submitting driver job {} of {} to {}", driverJobId, name, restUrl);
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(clientConfig, StandaloneClusterId.getInstance())) {
            client.submitJob(jobGraph).get(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CliException(
                    CliException.FAILURE,
                    "Could not submit the driver job to "
                            + restUrl
                            + ": "
                            + DriverRunCommand.rootMessage(e),
                    e);
        }
        out.println("Driver job submitted: " + driverJobId);
        out.println("REST address: " + restUrl);
        out.println(resourceNote);
        out.println("Follow it with: " + restUrl + "/jobs/" + driverJobId);
        return 0;
    }

    /**
     * A cluster that does not answer is given up on after {@link
     * DriverClientOptions#CONNECT_TIMEOUT}, not after Flink's 20 retries 3 s apart.
     */
    private static void boundRetries(Configuration clientConfig) {
        Duration timeout = clientConfig.get(DriverClientOptions.CONNECT_TIMEOUT);
        Duration delay = Duration.ofSeconds(1);
        if (!clientConfig.contains(RestOptions.CONNECTION_TIMEOUT)) {
            clientConfig.set(RestOptions.CONNECTION_TIMEOUT, timeout);
        }
        if (!clientConfig.contains(RestOptions.RETRY_MAX_ATTEMPTS)
                && !clientConfig.contains(RestOptions.RETRY_DELAY)) {
            clientConfig.set(RestOptions.RETRY_DELAY, delay);
            clientConfig.set(
                    RestOptions.RETRY_MAX_ATTEMPTS, (int) (timeout.toMillis() / delay.toMillis()));
        }
    }

    /** One line: the driver's resource options are not reserved on an existing cluster. */
    private String resourceNote() throws CliException {
        try {
            DriverResources.fromConfiguration(effective);
        } catch (IllegalConfigurationException e) {
            throw CliException.usage(DriverRunCommand.firstLine(e));
        }
        return "Driver resources (heap "
                + effective.get(DriverResourceOptions.HEAP_MEMORY).toHumanReadableString()
                + ", "
                + effective.get(DriverResourceOptions.CPUS)
                + " cpus) are not reserved on an existing cluster: the driver runs in one of"
                + " its default slots.";
    }

    private String restBaseUrl(String address) throws Exception {
        if (address != null && !address.equals("yarn-cluster")) {
            String url = address.contains("://") ? address : "http://" + address;
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                throw CliException.usage("Invalid cluster address -m " + address);
            }
            return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
        }
        String id = effective.get(YarnConfigOptions.APPLICATION_ID);
        ApplicationId applicationId;
        try {
            applicationId = ApplicationId.fromString(id);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Invalid YARN application id " + id);
        }
        YarnClient yarnClient = YarnClients.start(effective);
        try {
            ApplicationReport report;
            try {
                report = yarnClient.getApplicationReport(applicationId);
            } catch (Exception e) {
                throw new CliException(
                        CliException.FAILURE,
                        "Could not find YARN application "
                                + id
                                + ": "
                                + DriverRunCommand.rootMessage(e),
                        e);
            }
            if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
                throw new CliException(
                        CliException.FAILURE,
                        "YARN application "
                                + id
                                + " is "
                                + report.getYarnApplicationState()
                                + ", not RUNNING");
            }
            // Flink's ApplicationMaster registers its REST endpoint as host and RPC port (as
            // YarnClusterDescriptor.retrieve reads them), and its web UI as tracking URL.
            if (report.getHost() != null
                    && !report.getHost().isEmpty()
                    && !report.getHost().equals("N/A")
                    && report.getRpcPort() > 0) {
                return "http://" + report.getHost() + ":" + report.getRpcPort();
            }
            String tracking = report.getOriginalTrackingUrl();
            if (tracking == null || tracking.isBlank() || tracking.equals("N/A")) {
                throw new CliException(
                        CliException.FAILURE,
                        "YARN application " + id + " reports no Flink REST address");
            }
            URI uri = URI.create(tracking.contains("://") ? tracking : "http://" + tracking);
            return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
        } finally {
            yarnClient.stop();
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The jars of the driver's code: the driver task and the contract it shares with the
     * JobManager, and the SQL script driver for a SQL script. Never the JobManager's side.
     */
    static List<Path> driverJars(String mainClass) throws Exception {
        List<Path> jars = new ArrayList<>();
        jars.add(codeSource(DriverInvokable.class));
        jars.add(codeSource(DriverOptions.class));
        if (mainClass.equals(SqlScriptDriver.class.getName())) {
            jars.add(codeSource(SqlScriptDriver.class));
        }
        return jars;
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
