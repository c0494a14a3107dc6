package dev.flinkdriver.it;

import dev.flinkdriver.driver.DriverProgramRunner;
import dev.flinkdriver.it.apps.DaemonJobApp;
import dev.flinkdriver.it.apps.FailingMainApp;
import dev.flinkdriver.it.apps.UnrelatedEndlessApp;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptionsInternal;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnLogConfigUtil;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Driver mode on clusters that already run and are no flink-driver clusters: a standalone Flink
 * session started from the distribution's lib/ ({@code run -D -m host:port}) and a plain Flink
 * session on YARN ({@code run -D -yid <applicationId>}). Each runs an unrelated endless job before
 * and after; the driver's failure cancels only its own jobs, DAEMON jobs are cancelled after the
 * NORMAL ones ended, and the cluster stays up.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExistingClusterIT {

    private static final Pattern DRIVER_JOB =
            Pattern.compile("Driver job submitted: ([0-9a-f]{32})");

    private static final List<Process> STANDALONE = new ArrayList<>();

    private static Path standaloneDir;

    @AfterAll
    static void stopStandaloneCluster() throws Exception {
        for (Process p : STANDALONE) {
            p.destroy();
        }
        for (Process p : STANDALONE) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        STANDALONE.clear();
    }

    @Test
    void standaloneSessionCluster() throws Exception {
        String restUrl = startStandaloneCluster();
        URI rest = URI.create(restUrl);
        runScenarios(restUrl, "-m", rest.getHost() + ":" + rest.getPort());
        // Still up.
        assertThat(FlinkRest.get(restUrl, "/overview").get("taskmanagers").asInt()).isEqualTo(1);
        // lib/ has the driver-task jar too; the driver's classes came from the job's jar.
        assertThat(Files.readString(standaloneDir.resolve("taskmanager.log")))
                .containsPattern(
                        LogLines.pattern(
                                DriverProgramRunner.DRIVER_CODE_LOADED_FROM,
                                "file:\\S*/blob_p-\\S*"));
    }

    @Test
    void flinkSessionOnYarn() throws Exception {
        TestYarn yarn = TestYarn.get();
        Path dist = TestPaths.distDir();
        Configuration flinkConf =
                GlobalConfiguration.loadConfiguration(dist.resolve("conf").toString());
        flinkConf.set(DeploymentOptionsInternal.CONF_DIR, dist.resolve("conf").toString());
        YarnLogConfigUtil.setLogConfigFileInConfig(flinkConf, dist.resolve("conf").toString());
        flinkConf.set(YarnConfigOptions.FLINK_DIST_JAR, TestPaths.flinkYarnJar().toString());
        flinkConf.set(YarnConfigOptions.SHIP_FILES, List.of(dist.resolve("lib").toString()));
        flinkConf.set(
                YarnConfigOptions.STAGING_DIRECTORY,
                TestPaths.itDir().resolve("staging").toUri().toString());
        flinkConf.set(
                YarnConfigOptions.APPLICATION_NAME, "plain Flink session (ExistingClusterIT)");

        try (YarnClusterDescriptor descriptor =
                new YarnClusterDescriptor(
                        flinkConf,
                        yarn.yarnConfiguration(),
                        yarn.yarnClient(),
                        YarnClientYarnClusterInformationRetriever.create(yarn.yarnClient()),
                        true)) {
            ClusterSpecification spec =
                    new ClusterSpecification.ClusterSpecificationBuilder()
                            .setMasterMemoryMB(1024)
                            .setTaskManagerMemoryMB(1280)
                            .setSlotsPerTaskManager(2)
                            .createClusterSpecification();
            try (ClusterClient<ApplicationId> client =
                    descriptor.deploySessionCluster(spec).getClusterClient()) {
                ApplicationId appId = client.getClusterId();
                try {
                    String restUrl = client.getWebInterfaceURL();
                    runScenarios(restUrl, "-yid", appId.toString());
                    assertThat(
                                    yarn.yarnClient()
                                            .getApplicationReport(appId)
                                            .getYarnApplicationState())
                            .isEqualTo(YarnApplicationState.RUNNING);
                } finally {
                    client.shutDownCluster();
                    yarn.waitForFinalState(appId, Duration.ofSeconds(60));
                }
            }
        }
    }

    /** An unrelated job before and after; a failing driver, then one with a DAEMON job. */
    private static void runScenarios(String restUrl, String... clusterArgs) throws Exception {
        JobID unrelated = submitUnrelatedJob(restUrl);
        awaitState(restUrl, unrelated, "RUNNING", Duration.ofSeconds(180));

        // main() throws: its own jobs are cancelled, nobody else's.
        FlinkDriverCommand.Result failing = runDriver(FailingMainApp.class, clusterArgs);
        assertThat(failing.stdout()).contains("REST address: http://");
        assertThat(failing.stdout()).contains("are not reserved on an existing cluster");
        String failingDriver = driverJobId(failing);
        awaitState(restUrl, failingDriver, "FAILED", Duration.ofSeconds(240));
        String prefix = "Flink Driver: " + FailingMainApp.class.getName() + ": ";
        Map<String, String> jobs = awaitTerminalJobsNamed(restUrl, prefix, 2);
        assertThat(jobs)
                .containsEntry(prefix + "first-job", "FINISHED")
                .containsEntry(prefix + "endless-normal", "CANCELED");
        assertThat(FlinkRest.get(restUrl, "/jobs/" + failingDriver + "/exceptions").toString())
                .contains("main() gave up after its first job");
        assertThat(stateOf(restUrl, unrelated.toHexString())).isEqualTo("RUNNING");

        // main() returns: the NORMAL job ends, then the DAEMON job is cancelled.
        FlinkDriverCommand.Result daemon = runDriver(DaemonJobApp.class, clusterArgs);
        String daemonDriver = driverJobId(daemon);
        awaitState(restUrl, daemonDriver, "FINISHED", Duration.ofSeconds(240));
        String daemonPrefix = "Flink Driver: " + DaemonJobApp.class.getName() + ": ";
        Map<String, String> daemonJobs = awaitTerminalJobsNamed(restUrl, daemonPrefix, 2);
        assertThat(daemonJobs)
                .containsEntry(daemonPrefix + "normal-batch", "FINISHED")
                .containsEntry(daemonPrefix + "[daemon] endless-daemon", "CANCELED");

        // The cluster and its other job are untouched.
        assertThat(stateOf(restUrl, unrelated.toHexString())).isEqualTo("RUNNING");
        try (RestClusterClient<StandaloneClusterId> client = restClient(restUrl)) {
            client.cancel(unrelated).get(60, TimeUnit.SECONDS);
        }
        awaitState(restUrl, unrelated, "CANCELED", Duration.ofSeconds(60));
    }

    private static FlinkDriverCommand.Result runDriver(Class<?> app, String... clusterArgs)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-D"));
        args.addAll(List.of(clusterArgs));
        args.add(TestJars.jarOf(app).toString());
        FlinkDriverCommand.Result r = FlinkDriverCommand.run(args.toArray(new String[0]));
        assertThat(r.exitCode()).as("stdout: %s\nstderr: %s", r.stdout(), r.stderr()).isZero();
        return r;
    }

    private static String driverJobId(FlinkDriverCommand.Result r) {
        Matcher m = DRIVER_JOB.matcher(r.stdout());
        assertThat(m.find()).as("driver job id in: %s", r.stdout()).isTrue();
        return m.group(1);
    }

    private static JobID submitUnrelatedJob(String restUrl) throws Exception {
        Configuration conf = new Configuration();
        PackagedProgram program =
                PackagedProgram.newBuilder()
                        .setJarFile(TestJars.jarOf(UnrelatedEndlessApp.class).toFile())
                        .setConfiguration(conf)
                        .build();
        JobGraph jobGraph = PackagedProgramUtils.createJobGraph(program, conf, 1, false);
        try (RestClusterClient<StandaloneClusterId> client = restClient(restUrl)) {
            return client.submitJob(jobGraph).get(60, TimeUnit.SECONDS);
        }
    }

    private static RestClusterClient<StandaloneClusterId> restClient(String restUrl)
            throws Exception {
        URI uri = URI.create(restUrl);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, uri.getHost());
        conf.set(RestOptions.PORT, uri.getPort());
        return new RestClusterClient<>(conf, StandaloneClusterId.getInstance());
    }

    private static String stateOf(String restUrl, String jobId) throws Exception {
        return FlinkRest.get(restUrl, "/jobs/" + jobId).get("state").asText();
    }

    private static void awaitState(String restUrl, JobID jobId, String state, Duration timeout)
            throws Exception {
        awaitState(restUrl, jobId.toHexString(), state, timeout);
    }

    private static void awaitState(String restUrl, String jobId, String state, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .alias("job " + jobId + " " + state)
                .until(() -> stateOf(restUrl, jobId), state::equals);
    }

    /**
     * name -> state of every job whose name starts with the prefix, once n of them are terminal.
     */
    private static Map<String, String> awaitTerminalJobsNamed(
            String restUrl, String prefix, int n) {
        return await("" + n + " terminal jobs named " + prefix + "*")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> jobsNamed(restUrl, prefix),
                        named ->
                                named.values().stream()
                                                .filter(
                                                        st ->
                                                                List.of(
                                                                                "FINISHED",
                                                                                "CANCELED",
                                                                                "FAILED")
                                                                        .contains(st))
                                                .count()
                                        >= n);
    }

    private static Map<String, String> jobsNamed(String restUrl, String prefix) throws Exception {
        Map<String, String> named = new HashMap<>();
        for (JsonNode job : FlinkRest.get(restUrl, "/jobs/overview").get("jobs")) {
            String name = job.get("name").asText();
            if (name.startsWith(prefix)) {
                named.put(name, job.get("state").asText());
            }
        }
        return named;
    }

    private static String jobs(String restUrl) {
        try {
            return FlinkRest.get(restUrl, "/jobs/overview").toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    // ------------------------------------------------------------------------
    //  A standalone session cluster from the distribution's lib/
    // ------------------------------------------------------------------------

    private static String startStandaloneCluster() throws Exception {
        Path dist = TestPaths.distDir();
        Path dir = TestPaths.itDir().resolve("standalone-" + System.nanoTime());
        standaloneDir = dir;
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.copy(dist.resolve("conf/log4j.properties"), conf.resolve("log4j.properties"));
        int restPort = freePort();
        int rpcPort = freePort();
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + rpcPort,
                        "jobmanager.bind-host: localhost",
                        "jobmanager.memory.process.size: 1024m",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        // What Flink's scripts compute for a TaskManager and pass as -D.
                        "taskmanager.cpu.cores: 6",
                        "taskmanager.memory.task.heap.size: 256m",
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.memory.framework.heap.size: 128m",
                        "taskmanager.memory.framework.off-heap.size: 128m",
                        "taskmanager.memory.jvm-metaspace.size: 256m",
                        "taskmanager.memory.jvm-overhead.min: 192m",
                        "taskmanager.memory.jvm-overhead.max: 192m",
                        "taskmanager.numberOfTaskSlots: 6",
                        "parallelism.default: 1",
                        ""));
        String classPath = dist.resolve("lib") + "/*:" + dist.resolve("hadoop") + "/*";
        STANDALONE.add(
                startJvm(
                        dir,
                        "jobmanager",
                        classPath,
                        conf,
                        List.of("-Xmx400m"),
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
        STANDALONE.add(
                startJvm(
                        dir,
                        "taskmanager",
                        classPath,
                        conf,
                        List.of("-Xmx450m", "-XX:MaxDirectMemorySize=300m"),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"));

        String restUrl = "http://localhost:" + restPort;
        await("standalone Flink cluster with 6 slots; see " + dir)
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            for (Process p : STANDALONE) {
                                if (!p.isAlive()) {
                                    throw new AssertionError(
                                            "A standalone Flink process died; see "
                                                    + dir
                                                    + "/*.log");
                                }
                            }
                            try {
                                return FlinkRest.get(restUrl, "/overview")
                                                .get("slots-total")
                                                .asInt()
                                        >= 6;
                            } catch (Exception | AssertionError e) {
                                return false; // not up yet
                            }
                        });
        return restUrl;
    }

    private static Process startJvm(
            Path dir,
            String name,
            String classPath,
            Path conf,
            List<String> memory,
            String mainClass)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(memory);
        cmd.add("-XX:+UseSerialGC");
        // What Flink's own bin/ scripts do: the JVM options of the distribution's configuration.
        cmd.addAll(
                List.of(
                        GlobalConfiguration.loadConfiguration(
                                        TestPaths.distDir().resolve("conf").toString())
                                .get(CoreOptions.FLINK_JVM_OPTIONS)
                                .trim()
                                .split("\\s+")));
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
