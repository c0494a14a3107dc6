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
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnLogConfigUtil;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.assertj.core.api.InstanceOfAssertFactories;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Driver mode on clusters that already run and know nothing of flink-driver: a standalone Flink
 * session ({@code run -D -m host:port}) and a Flink session on YARN deployed by Flink's own {@link
 * YarnClusterDescriptor} ({@code run -D -yid <applicationId>}), both from a lib/ that is the
 * distribution's without a jar of this project, as a user's Flink 2.3 is. Each runs an unrelated
 * endless job before and after; a multi-job program finishes with prefixed job names, the driver's
 * failure cancels only its own jobs, DAEMON jobs are cancelled after the NORMAL ones ended, and the
 * cluster stays up.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExistingClusterIT {

    private static final Pattern DRIVER_JOB =
            Pattern.compile("Driver job submitted: ([0-9a-f]{32})");

    private static final List<Process> STANDALONE = new ArrayList<>();

    /** A jar holding {@code dev.flinkdriver} classes, in a class path line of a Flink log. */
    private static final Pattern PROJECT_JAR =
            Pattern.compile("flink-dist-driver|flink-driver-(?!local-yarn)");

    private static Path standaloneDir;

    private static Path plainLib;

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
        String address = rest.getHost() + ":" + rest.getPort();
        runScenarios(restUrl, "-m", address);
        runSqlScript(restUrl, "-m", address);
        // Still up.
        assertThat(FlinkRest.get(restUrl, "/overview").get("taskmanagers").asInt()).isEqualTo(1);
        for (String process : List.of("jobmanager", "taskmanager")) {
            String log = Files.readString(standaloneDir.resolve(process + ".log"));
            assertPlainClassPath(log);
        }
        // The driver's classes came from the job's jars: the cluster has none.
        assertThat(Files.readString(standaloneDir.resolve("taskmanager.log")))
                .containsPattern(
                        LogLines.pattern(
                                DriverProgramRunner.DRIVER_CODE_LOADED_FROM,
                                "file:\\S*/blob_p-\\S*"));
        // The SQL script's query printed its rows where main() prints: the TaskManager's stdout.
        assertThat(Files.readString(standaloneDir.resolve("taskmanager.out")))
                .contains("Flink SQL [orders.sql:6]> INSERT INTO totals")
                .containsPattern("\\| +apple \\| +2 \\|");
    }

    @Test
    void flinkSessionOnYarn() throws Exception {
        TestYarn yarn = TestYarn.get();
        Path dist = TestPaths.distDir();
        Path lib = plainLib();
        Configuration flinkConf =
                GlobalConfiguration.loadConfiguration(dist.resolve("conf").toString());
        flinkConf.set(DeploymentOptionsInternal.CONF_DIR, dist.resolve("conf").toString());
        YarnLogConfigUtil.setLogConfigFileInConfig(flinkConf, dist.resolve("conf").toString());
        // Flink 2.x publishes no flink-dist jar; with lib/ shipped, any of its jars will do.
        flinkConf.set(
                YarnConfigOptions.FLINK_DIST_JAR,
                lib.resolve(TestPaths.flinkYarnJar().getFileName()).toString());
        flinkConf.set(YarnConfigOptions.SHIP_FILES, List.of(lib.toString()));
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
                    // Flink's own session entrypoint, and no jar of ours in any container.
                    assertThat(processLogs(appId, "jobmanager.log"))
                            .singleElement(as(InstanceOfAssertFactories.STRING))
                            .contains("Starting YarnSessionClusterEntrypoint");
                    List<String> logs = new ArrayList<>(processLogs(appId, "jobmanager.log"));
                    logs.addAll(processLogs(appId, "taskmanager.log"));
                    assertThat(logs).hasSizeGreaterThan(1);
                    logs.forEach(ExistingClusterIT::assertPlainClassPath);
                    assertThat(String.join("\n", processLogs(appId, "taskmanager.log")))
                            .containsPattern(
                                    LogLines.pattern(
                                            DriverProgramRunner.DRIVER_CODE_LOADED_FROM,
                                            "file:\\S*/blob_p-\\S*"));
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

        // Four jobs, two of them side by side, their results collected into main().
        Path output = TestPaths.itDir().resolve("existing-multi-job-" + System.nanoTime());
        FlinkDriverCommand.Result multi =
                runDriver(
                        TestPaths.distDir().resolve("examples/multi-job-example.jar"),
                        List.of("--output", output.toString()),
                        clusterArgs);
        String multiDriver = driverJobId(multi);
        awaitState(restUrl, multiDriver, "FINISHED", Duration.ofSeconds(240));
        String multiPrefix = "Flink Driver: dev.flinkdriver.examples.MultiJobExample: ";
        assertThat(awaitTerminalJobsNamed(restUrl, multiPrefix, 4))
                .containsOnly(
                        Map.entry(multiPrefix + "word-count", "FINISHED"),
                        Map.entry(multiPrefix + "sum-of-squares", "FINISHED"),
                        Map.entry(multiPrefix + "primes-below-1000", "FINISHED"),
                        Map.entry(multiPrefix + "total", "FINISHED"));
        assertThat(Files.readAllLines(output.resolve("results.txt")))
                .contains("sum-of-squares 338350", "primes-below-1000 168", "total 338518");

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

    /**
     * A SQL script as the driver: the SQL driver's jar travels with the driver job, the script in
     * its launcher jar, and the planner comes from the cluster's lib/ as in Flink's distribution.
     */
    private static void runSqlScript(String restUrl, String... clusterArgs) throws Exception {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("sql-" + System.nanoTime()));
        Path script = dir.resolve("orders.sql");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "CREATE TEMPORARY VIEW orders AS SELECT * FROM (VALUES",
                        "  (1, 'apple', 3), (2, 'pear', 5), (3, 'apple', 4)",
                        ") AS t(id, product, amount);",
                        "CREATE TABLE totals (product STRING, total INT) WITH ('connector' ="
                                + " 'filesystem', 'path' = '"
                                + dir.resolve("totals")
                                + "', 'format' = 'csv');",
                        "INSERT INTO totals SELECT product, SUM(amount) FROM orders GROUP BY"
                                + " product;",
                        "SELECT product, COUNT(*) AS orders_of_product FROM orders GROUP BY"
                                + " product;",
                        ""));
        List<String> args = new ArrayList<>(List.of("run", "-D"));
        args.addAll(List.of(clusterArgs));
        args.addAll(List.of("--sql", script.toString()));
        FlinkDriverCommand.Result r = FlinkDriverCommand.run(args.toArray(new String[0]));
        assertThat(r.exitCode()).as("stdout: %s\nstderr: %s", r.stdout(), r.stderr()).isZero();
        String driver = driverJobId(r);
        awaitState(restUrl, driver, "FINISHED", Duration.ofSeconds(240));
        assertThat(FlinkRest.get(restUrl, "/jobs/" + driver).get("name").asText())
                .isEqualTo("Flink Driver: orders.sql");
        String prefix = "Flink Driver: orders.sql: ";
        Map<String, String> jobs = awaitTerminalJobsNamed(restUrl, prefix, 2);
        assertThat(jobs)
                .hasSize(2)
                .containsEntry(
                        prefix + "insert-into_default_catalog.default_database.totals", "FINISHED")
                .allSatisfy((name, state) -> assertThat(state).isEqualTo("FINISHED"));
        assertThat(SqlDriverIT.rows(dir.resolve("totals")))
                .containsExactlyInAnyOrder("apple,7", "pear,5");
    }

    private static FlinkDriverCommand.Result runDriver(Class<?> app, String... clusterArgs)
            throws Exception {
        return runDriver(TestJars.jarOf(app), List.of(), clusterArgs);
    }

    private static FlinkDriverCommand.Result runDriver(
            Path jar, List<String> programArgs, String... clusterArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-D"));
        args.addAll(List.of(clusterArgs));
        args.add(jar.toString());
        args.addAll(programArgs);
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
                        () -> FlinkRest.jobStates(restUrl, prefix),
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

    private static String jobs(String restUrl) {
        try {
            return FlinkRest.get(restUrl, "/jobs/overview").toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    // ------------------------------------------------------------------------
    //  A plain Flink: the distribution's lib/ without a jar of this project
    // ------------------------------------------------------------------------

    /**
     * The distribution's lib/ without the jars that hold {@code dev.flinkdriver} classes (the
     * driver's, the dispatcher's, the client's and the flink-dist-driver entrypoint), built once
     * per test run into the test's own directory (SecuredYarnIT's Flink session uses it too).
     */
    static synchronized Path plainLib() throws IOException {
        if (plainLib != null) {
            return plainLib;
        }
        Path lib = TestPaths.itDir().resolve("plain-flink-" + System.nanoTime()).resolve("lib");
        Files.createDirectories(lib);
        List<String> left = new ArrayList<>();
        try (Stream<Path> jars = Files.list(TestPaths.distDir().resolve("lib"))) {
            for (Path jar : jars.sorted().toList()) {
                if (holdsProjectClasses(jar)) {
                    left.add(jar.getFileName().toString());
                } else {
                    Files.copy(jar, lib.resolve(jar.getFileName()));
                }
            }
        }
        // The filter must have had something to filter: the distribution's lib/ has our jars.
        assertThat(left).anyMatch(name -> name.startsWith("flink-driver-task-"));
        try (Stream<Path> jars = Files.list(lib)) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .contains(flinkClientsJar())
                    .noneMatch(name -> PROJECT_JAR.matcher(name).find());
        }
        plainLib = lib;
        return lib;
    }

    private static boolean holdsProjectClasses(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().anyMatch(e -> e.getName().startsWith("dev/flinkdriver/"));
        }
    }

    /**
     * The JVM's class path as Flink logs it at start ("Classpath: ..."): from the plain lib/, with
     * no jar of this project. The test YARN's Hadoop class path has the project's localyarn:// file
     * system, which belongs to that YARN, not to Flink.
     */
    private static void assertPlainClassPath(String log) {
        List<String> classPaths =
                log.lines()
                        .filter(l -> l.contains(" Classpath: "))
                        .map(l -> l.substring(l.indexOf(" Classpath: ") + 12))
                        .toList();
        assertThat(classPaths).hasSize(1);
        List<String> entries = List.of(classPaths.get(0).split(":"));
        assertThat(entries)
                .anyMatch(e -> e.endsWith("/" + flinkClientsJar()))
                .noneMatch(e -> PROJECT_JAR.matcher(e).find());
    }

    private static String flinkClientsJar() {
        return "flink-clients-" + System.getProperty("flinkdriver.flink.version") + ".jar";
    }

    /** The logs of this name of the application's containers, one per container. */
    private static List<String> processLogs(ApplicationId id, String fileName) throws IOException {
        List<String> logs = new ArrayList<>();
        try (Stream<Path> files =
                Files.walk(TestYarn.get().containerLogs().resolve(id.toString()))) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals(fileName)).toList()) {
                logs.add(Files.readString(file));
            }
        }
        return logs;
    }

    // ------------------------------------------------------------------------
    //  A standalone session cluster from the plain lib/
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
        // What HADOOP_CLASSPATH gives a user's cluster: Hadoop's jars, not the test YARN's.
        List<String> classPath = new ArrayList<>(List.of(plainLib() + "/*"));
        try (Stream<Path> jars = Files.list(dist.resolve("hadoop"))) {
            for (Path jar : jars.sorted().toList()) {
                if (!holdsProjectClasses(jar)) {
                    classPath.add(jar.toString());
                }
            }
        }
        STANDALONE.add(
                startJvm(
                        dir,
                        "jobmanager",
                        String.join(":", classPath),
                        conf,
                        List.of("-Xmx400m"),
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
        STANDALONE.add(
                startJvm(
                        dir,
                        "taskmanager",
                        String.join(":", classPath),
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
