package dev.flinkdriver.it;

import dev.flinkdriver.client.YarnApplicationStates;
import dev.flinkdriver.localyarn.LocalYarnCluster;
import dev.flinkdriver.localyarn.LocalYarnLayout;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.cli.RMAdminCLI;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * One real YARN per test run, started the way {@code bin/local-yarn} starts it (with log
 * aggregation and Flink's HistoryServer), with the assembled distribution's Hadoop jars offered to
 * containers. Test classes use it with {@code @ExtendWith(TestYarn.class)} and {@link #get()}; it
 * stops when the run ends.
 */
public final class TestYarn implements BeforeAllCallback, AfterAllCallback {

    private static volatile TestYarn instance;

    private final LocalYarnCluster cluster;
    private final YarnConfiguration yarnConfiguration;
    private final YarnClient yarnClient;

    private TestYarn(LocalYarnCluster cluster) {
        this.cluster = cluster;
        this.yarnConfiguration = new YarnConfiguration();
        yarnConfiguration.addResource(new Path(cluster.hadoopConfDir() + "/core-site.xml"));
        yarnConfiguration.addResource(new Path(cluster.hadoopConfDir() + "/yarn-site.xml"));
        this.yarnClient = YarnClient.createYarnClient();
        yarnClient.init(yarnConfiguration);
        yarnClient.start();
    }

    public TestYarn() {
        this.cluster = null;
        this.yarnConfiguration = null;
        this.yarnClient = null;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(TestYarn.class.getName(), k -> start(), Stopper.class);
    }

    /**
     * Kills what a test class left running. The test programs wait to be killed or released, so an
     * application of a failed test would otherwise hold its containers into the next class, and
     * that class's checks of an empty YARN would fail too, hiding which test really failed.
     */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (ApplicationReport app : get().liveApplications()) {
            System.err.printf(
                    "TestYarn: killing %s (%s), left running by %s%n",
                    app.getApplicationId(), app.getName(), context.getDisplayName());
            get().yarnClient.killApplication(app.getApplicationId());
        }
    }

    public static TestYarn get() {
        if (instance == null) {
            throw new IllegalStateException("Use @ExtendWith(TestYarn.class)");
        }
        return instance;
    }

    private static Stopper start() {
        LocalYarnLayout layout =
                new LocalYarnLayout(
                        TestPaths.itDir().resolve("yarn"),
                        TestPaths.distDir().resolve("opt/local-yarn"),
                        TestPaths.distDir().resolve("hadoop"),
                        TestPaths.distDir().resolve("lib"),
                        NODE_MEMORY_MB,
                        NODE_VCORES,
                        true); // ACLs on, as on a production YARN; the test user is YARN admin
        LocalYarnCluster cluster = new LocalYarnCluster(layout);
        try {
            cluster.stop(); // a run killed earlier may have left its daemons
            cluster.start(0, Duration.ofMinutes(4)); // minutes under the load of parallel builds
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the test YARN", e);
        }
        instance = new TestYarn(cluster);
        return new Stopper();
    }

    /**
     * Makes the test YARN run {@code count} NodeManagers (each a node of its own, of the same size)
     * and every other daemon, starting whichever does not run; returns once all have registered.
     * The suite runs one; a class that needs more asks here and gives them back at its end.
     */
    public void nodeManagers(int count) throws IOException {
        cluster.start(0, count, Duration.ofMinutes(3));
    }

    /** Starts whichever daemon of the test YARN does not run (after {@link #kill}). */
    public List<String> restartLostDaemons() throws IOException {
        return cluster.start(0, 0, Duration.ofMinutes(3));
    }

    /** The daemon name of NodeManager {@code number} (from 1). */
    public String nodeManager(int number) {
        return cluster.nodeManagerDaemon(number);
    }

    /** The YARN node id of NodeManager {@code number} (from 1). */
    public NodeId nodeId(int number) throws IOException {
        return NodeId.newInstance("localhost", cluster.nodeManagerPort(number));
    }

    /** NodeManagers of the test YARN, numbered from 1. */
    public int nodeManagerCount() {
        return cluster.configuredNodeManagers();
    }

    /**
     * Kills a daemon ({@code resourcemanager}, or a {@link #nodeManager} with every container
     * process it runs, as a lost host takes them) with SIGKILL; returns the pids killed.
     */
    public List<Long> kill(String daemon) {
        return cluster.kill(daemon);
    }

    /**
     * Sets a node's resources as the ResourceManager counts them ({@code yarn rmadmin
     * -updateNodeResource}): a node shrunk to what it runs gets no further container, which is how
     * a test places containers on the other node.
     */
    public void updateNodeResource(NodeId node, int memoryMb, int vcores) throws Exception {
        RMAdminCLI admin = new RMAdminCLI(yarnConfiguration());
        int exit =
                admin.run(
                        new String[] {
                            "-updateNodeResource",
                            node.toString(),
                            Integer.toString(memoryMb),
                            Integer.toString(vcores)
                        });
        if (exit != 0) {
            throw new IllegalStateException(
                    "rmadmin -updateNodeResource " + node + " exited " + exit);
        }
    }

    /** The node size every NodeManager of the test YARN offers. */
    public static final int NODE_MEMORY_MB = 16384;

    public static final int NODE_VCORES = 16;

    public java.nio.file.Path hadoopConfDir() {
        return cluster.hadoopConfDir();
    }

    public YarnConfiguration yarnConfiguration() {
        return new YarnConfiguration(yarnConfiguration);
    }

    public YarnClient yarnClient() {
        return yarnClient;
    }

    /** Applications YARN still holds: in no final state. */
    public List<ApplicationReport> liveApplications() throws Exception {
        return yarnClient.getApplications(YarnApplicationStates.live());
    }

    /**
     * Applications named {@code name} that YARN accepted at or after {@code sinceMillis}, in any
     * state: what one command of a test submitted, whatever else runs on this YARN.
     */
    public List<ApplicationReport> applicationsNamedSince(String name, long sinceMillis)
            throws Exception {
        return yarnClient.getApplications().stream()
                .filter(a -> a.getName().equals(name) && a.getStartTime() >= sinceMillis)
                .toList();
    }

    public String resourceManagerWebAddress() throws IOException {
        return cluster.resourceManagerWebAddress();
    }

    /** The test YARN's ZooKeeper, for {@code high-availability.zookeeper.quorum}. */
    public String zookeeperQuorum() throws IOException {
        return cluster.zookeeperQuorum();
    }

    /** The ZooKeeper server's JVM, for a test that loses it (SIGKILL). */
    public ProcessHandle zookeeperProcess() {
        return cluster.zookeeperProcess().orElseThrow();
    }

    /** Starts the ZooKeeper server again on its port and data; returns once it serves. */
    public void startZooKeeper() throws IOException {
        cluster.startZooKeeper(Duration.ofMinutes(2));
    }

    public java.nio.file.Path containerLogs() {
        return cluster.layout().containerLogs();
    }

    /**
     * The log of the JobManager of {@code attempt} (from 1), on the first NodeManager. Container
     * ids read {@code container_[e<epoch>_]<app>_<attempt>_000001}: the epoch counts
     * ResourceManager restarts, so after one (NodeLossIT) every later application's ids carry it.
     */
    public java.nio.file.Path jobManagerLog(ApplicationId id, int attempt) throws IOException {
        String suffix =
                String.format("%d_%04d_%02d_000001", id.getClusterTimestamp(), id.getId(), attempt);
        java.nio.file.Path appLogs = containerLogs().resolve(id.toString());
        if (Files.isDirectory(appLogs)) {
            try (Stream<java.nio.file.Path> containers = Files.list(appLogs)) {
                java.util.Optional<java.nio.file.Path> found =
                        containers
                                .filter(c -> c.getFileName().toString().endsWith(suffix))
                                .findFirst();
                if (found.isPresent()) {
                    return found.get().resolve("jobmanager.log");
                }
            }
        }
        return appLogs.resolve("container_" + suffix).resolve("jobmanager.log");
    }

    /**
     * The application's container log files of this name (e.g. {@code taskmanager.out}, what main()
     * printed), one after the other, as an operator reads them on the NodeManager.
     */
    public String containerLogFiles(ApplicationId id, String fileName) throws IOException {
        StringBuilder content = new StringBuilder();
        try (Stream<java.nio.file.Path> files =
                Files.walk(containerLogs().resolve(id.toString()))) {
            for (java.nio.file.Path file :
                    files.filter(p -> p.getFileName().toString().equals(fileName)).toList()) {
                content.append(Files.readString(file));
            }
        }
        return content.toString();
    }

    /** Where YARN keeps container logs after an application ended (log aggregation). */
    public java.nio.file.Path aggregatedLogs() {
        return cluster.layout().aggregatedLogs();
    }

    /** Flink's HistoryServer over the driver applications' archives, {@code http://host:port}. */
    public String historyServerWebAddress() throws IOException {
        return cluster.historyServerWebAddress();
    }

    /**
     * Waits until the application's ApplicationMaster runs: {@code flink-driver run} returns as
     * soon as YARN has accepted the application, before Flink's REST endpoint exists.
     */
    public ApplicationReport awaitRunning(ApplicationId id) {
        return await("application " + id + " RUNNING")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            ApplicationReport report = yarnClient.getApplicationReport(id);
                            if (YarnApplicationStates.isFinal(report)) {
                                throw new AssertionError(
                                        "Application "
                                                + id
                                                + " "
                                                + report.getYarnApplicationState()
                                                + " instead of RUNNING: "
                                                + report.getDiagnostics());
                            }
                            return report;
                        },
                        r -> r.getYarnApplicationState() == YarnApplicationState.RUNNING);
    }

    /**
     * Waits until no process of the application's containers runs any more, the lost attempts' kept
     * TaskManagers included. YARN reports no containers of an ended application (its scheduler
     * forgets them at once), and the node's container count would include other applications': this
     * one-host YARN's processes, found by their container ids, are what tells.
     */
    public static void awaitNothingLeftRunning(ApplicationId id, Duration timeout) {
        // After a ResourceManager restart container ids carry its epoch: container_e01_<app>_...
        java.util.regex.Pattern containers =
                java.util.regex.Pattern.compile(
                        String.format(
                                "container_(e\\d+_)?%d_%04d_",
                                id.getClusterTimestamp(), id.getId()));
        await("no process of " + id + "'s containers left running")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                ProcessHandle.allProcesses()
                                        .filter(
                                                p ->
                                                        containers
                                                                .matcher(
                                                                        p.info()
                                                                                .commandLine()
                                                                                .orElse(""))
                                                                .find())
                                        .map(p -> p.pid() + " " + p.info().commandLine().get())
                                        .toList(),
                        List::isEmpty);
    }

    /** Waits until YARN reports the application in a final state and returns that report. */
    public ApplicationReport waitForFinalState(ApplicationId id, Duration timeout) {
        return await("application " + id + " in a final state")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> yarnClient.getApplicationReport(id), YarnApplicationStates::isFinal);
    }

    /** Stops the YARN when the test run ends. */
    static final class Stopper implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            TestYarn yarn = instance;
            instance = null;
            if (yarn != null) {
                yarn.yarnClient.stop();
                yarn.cluster.stop();
            }
        }
    }
}
