package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.FailoverApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.flinkdriver.it.FailoverTraces.mainRuns;
import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The faults of a production YARN, on the test YARN with two NodeManagers: a whole node lost (its
 * NodeManager and every container process on it killed with SIGKILL), and the ResourceManager
 * killed with SIGKILL and started again. Each case runs {@code apps.FailoverApp}'s five sequential
 * jobs and strikes while job 3 runs. The test YARN notices a lost node after 20 s ({@code
 * yarn.nm.liveness-monitor.expiry-interval-ms}; 10 min on a real cluster).
 */
@ExtendWith(TestYarn.class)
class NodeLossIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(8);

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern CONTAINER =
            Pattern.compile("(container_(e\\d+_)?\\d+_\\d+_\\d+_\\d+)");

    @BeforeAll
    static void twoNodes() throws Exception {
        TestYarn.get().nodeManagers(2);
    }

    /** Every node back and of full size, for the next case and the classes after this one. */
    @AfterEach
    void healthyYarn() throws Exception {
        TestYarn.get().restartLostDaemons();
        for (int n = 1; n <= TestYarn.get().nodeManagerCount(); n++) {
            TestYarn.get()
                    .updateNodeResource(
                            TestYarn.get().nodeId(n),
                            TestYarn.NODE_MEMORY_MB,
                            TestYarn.NODE_VCORES);
        }
    }

    @AfterAll
    static void oneNode() throws Exception {
        TestYarn.get().nodeManagers(1);
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void losingTheDriversNodeRestartsTheDriverOnTheOtherNode() throws Exception {
        Path dir = FailoverTraces.newDir("node-loss-driver");
        ApplicationId id = submit(dir, List.of());
        NodeId amNode = keepApplicationMasterAlone(id);
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("job-3-running")));
        NodeId driverNode = nodeOf(pidIn(dir.resolve("main-1")));
        assertThat(driverNode)
                .as("the driver's TaskManager runs beside the ApplicationMaster's node")
                .isNotEqualTo(amNode);
        // Room again on the ApplicationMaster's node, for the driver and job 3 to come back.
        TestYarn.get().updateNodeResource(amNode, TestYarn.NODE_MEMORY_MB, TestYarn.NODE_VCORES);

        long killedAt = killNode(driverNode);
        Files.writeString(dir.resolve("release"), "");

        double lost = secondsUntilLost(driverNode, killedAt);
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("main-2")));
        ApplicationReport end = awaitSucceeded(id);
        assertThat(end.getCurrentApplicationAttemptId().getAttemptId())
                .as("the ApplicationMaster lived through the loss")
                .isEqualTo(1);
        assertThat(mainRuns(dir)).as("main() ran again").isEqualTo(2);
        assertEachJobOnce(id, dir);
        System.out.printf(
                "NodeLossIT driver's node lost: YARN reported it LOST after %.1f s; main() ran again"
                        + " after %.1f s; job 3 ran again after %.1f s%n",
                lost, secondsSince(dir.resolve("main-2"), killedAt), job3Again(dir, killedAt));
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void losingTheApplicationMastersNodeWithHaRecoversOnTheOtherNode() throws Exception {
        Path dir = FailoverTraces.newDir("node-loss-am");
        ApplicationId id =
                submit(
                        dir,
                        List.of(
                                "-yD",
                                "high-availability.type=zookeeper",
                                "-yD",
                                "high-availability.zookeeper.quorum="
                                        + TestYarn.get().zookeeperQuorum(),
                                "-yD",
                                "yarn.application-attempts=2"));
        NodeId amNode = keepApplicationMasterAlone(id);
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("job-3-running")));

        long killedAt = killNode(amNode);
        Files.writeString(dir.resolve("release"), "");

        double lost = secondsUntilLost(amNode, killedAt);
        ApplicationReport second =
                await("attempt 2 RUNNING")
                        .atMost(STEP_TIMEOUT)
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () -> TestYarn.get().yarnClient().getApplicationReport(id),
                                r ->
                                        r.getCurrentApplicationAttemptId().getAttemptId() == 2
                                                && r.getYarnApplicationState()
                                                        == YarnApplicationState.RUNNING);
        double secondAttempt = (System.currentTimeMillis() - killedAt) / 1000.0;
        assertThat(amNodeOf(second.getCurrentApplicationAttemptId()))
                .as("the second ApplicationMaster runs on the node left")
                .isNotEqualTo(amNode);
        ApplicationReport end = awaitSucceeded(id);
        assertThat(end.getCurrentApplicationAttemptId().getAttemptId()).isEqualTo(2);
        JsonNode status = assertEachJobOnce(id, dir);
        String historyServer = TestYarn.get().historyServerWebAddress();
        List<String> ids = status.get("jobs").findValuesAsText("id");
        await("the HistoryServer lists every job of both attempts")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(
                        () ->
                                FlinkRest.get(historyServer, "/jobs/overview")
                                        .get("jobs")
                                        .findValuesAsText("jid")
                                        .containsAll(ids));
        System.out.printf(
                "NodeLossIT ApplicationMaster's node lost (HA): YARN reported it LOST after %.1f s;"
                        + " attempt 2 RUNNING after %.1f s; main() ran again after %.1f s; job 3"
                        + " ran again after %.1f s%n",
                lost,
                secondAttempt,
                secondsSince(dir.resolve("main-2"), killedAt),
                job3Again(dir, killedAt));
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void aResourceManagerRestartKeepsTheApplicationRunning() throws Exception {
        Path dir = FailoverTraces.newDir("rm-restart");
        ApplicationId id = submit(dir, List.of());
        TestYarn.get().awaitRunning(id);
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("job-3-running")));

        TestYarn.get().kill("resourcemanager");
        long killedAt = System.currentTimeMillis();
        Files.writeString(dir.resolve("release"), "");
        for (String[] command :
                List.of(new String[] {"status", id.toString()}, new String[] {"list"})) {
            FlinkDriverCommand.Result r = FlinkDriverCommand.run(command);
            assertThat(r.exitCode()).as(r.stdout()).isNotZero();
            assertThat(r.stderr().strip().lines().toList())
                    .as("flink-driver %s while the ResourceManager is down", command[0])
                    .singleElement()
                    .asString()
                    .startsWith("flink-driver: Cannot reach YARN's ResourceManager");
        }
        // Jobs need no ResourceManager while their containers run: job 4 may end before the
        // ResourceManager is back, unless it needs a new TaskManager.
        Path job4 = dir.resolve("results/main-1-job-4");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(job4) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        String job4WhileDown =
                Files.exists(job4)
                        ? String.format("%.1f s after the kill", secondsSince(job4, killedAt))
                        : "not within 30 s";

        long restartedAt = System.currentTimeMillis();
        assertThat(TestYarn.get().restartLostDaemons()).containsExactly("resourcemanager");
        double back = (System.currentTimeMillis() - restartedAt) / 1000.0;
        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id.toString());
        assertThat(status.exitCode()).as(status.stderr()).isZero();

        ApplicationReport end = awaitSucceeded(id);
        assertThat(end.getCurrentApplicationAttemptId().getAttemptId())
                .as("work-preserving: the ApplicationMaster kept running")
                .isEqualTo(1);
        assertThat(mainRuns(dir)).as("main() ran once").isEqualTo(1);
        assertThat(taskRuns(dir))
                .as("every job ran once, on the containers it had")
                .isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L, 4, 1L, 5, 1L));
        assertEachJobOnce(id, dir);
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofMinutes(2));
        await("the restarted ResourceManager counts no container on any node")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                TestYarn.get()
                                        .yarnClient()
                                        .getNodeReports(NodeState.RUNNING)
                                        .stream()
                                        .mapToInt(n -> n.getNumContainers())
                                        .sum(),
                        n -> n == 0);
        System.out.printf(
                "NodeLossIT ResourceManager killed: job 4 ended while it was down: %s; the"
                        + " restarted RM answered with both nodes after %.1f s; FINISHED %.1f s"
                        + " after the kill%n",
                job4WhileDown, back, (end.getFinishTime() - killedAt) / 1000.0);
    }

    private static ApplicationId submit(Path dir, List<String> options) throws Exception {
        List<String> args = new ArrayList<>(options);
        args.add(TestJars.jarOf(FailoverApp.class).toString());
        args.add(dir.toString());
        args.add("five-jobs");
        return FlinkDriverCommand.submitDriver(args.toArray(String[]::new));
    }

    /**
     * Shrinks the node of the application's first ApplicationMaster to what that container takes,
     * as soon as YARN allocated it (the JobManager asks for TaskManagers only seconds later), so
     * that every TaskManager goes to the other node: which node a container lands on is the
     * scheduler's choice otherwise.
     */
    private static NodeId keepApplicationMasterAlone(ApplicationId id) throws Exception {
        ContainerReport am =
                await("the ApplicationMaster's container")
                        .atMost(STEP_TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(
                                () -> {
                                    ContainerId c =
                                            TestYarn.get()
                                                    .yarnClient()
                                                    .getApplicationAttemptReport(
                                                            ApplicationAttemptId.newInstance(id, 1))
                                                    .getAMContainerId();
                                    return TestYarn.get().yarnClient().getContainerReport(c);
                                },
                                c -> c != null && c.getAssignedNode() != null);
        TestYarn.get()
                .updateNodeResource(
                        am.getAssignedNode(),
                        (int) am.getAllocatedResource().getMemorySize(),
                        am.getAllocatedResource().getVirtualCores());
        return am.getAssignedNode();
    }

    private static NodeId amNodeOf(ApplicationAttemptId attempt) throws Exception {
        ContainerId c =
                TestYarn.get().yarnClient().getApplicationAttemptReport(attempt).getAMContainerId();
        return TestYarn.get().yarnClient().getContainerReport(c).getAssignedNode();
    }

    /** The node whose container runs the JVM of {@code pid}, by the container id it names. */
    private static NodeId nodeOf(long pid) throws Exception {
        String line =
                ProcessHandle.of(pid)
                        .flatMap(p -> p.info().commandLine())
                        .orElseThrow(() -> new AssertionError("no process " + pid));
        Matcher m = CONTAINER.matcher(line);
        assertThat(m.find()).as("a container id in " + line).isTrue();
        return TestYarn.get()
                .yarnClient()
                .getContainerReport(ContainerId.fromString(m.group(1)))
                .getAssignedNode();
    }

    /** Kills the node's NodeManager and every container process on it; the moment of the kill. */
    private static long killNode(NodeId node) throws Exception {
        for (int n = 1; n <= TestYarn.get().nodeManagerCount(); n++) {
            if (TestYarn.get().nodeId(n).equals(node)) {
                long at = System.currentTimeMillis();
                List<Long> pids = TestYarn.get().kill(TestYarn.get().nodeManager(n));
                System.out.printf(
                        "NodeLossIT: SIGKILL to %s (%s) and its %d container processes%n",
                        TestYarn.get().nodeManager(n), node, pids.size() - 1);
                return at;
            }
        }
        throw new AssertionError("no NodeManager of the test YARN is " + node);
    }

    /** Seconds from {@code since} until the ResourceManager reports the node LOST. */
    private static double secondsUntilLost(NodeId node, long since) {
        await(node + " LOST")
                .atMost(STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                TestYarn.get().yarnClient().getNodeReports(NodeState.LOST).stream()
                                        .anyMatch(r -> r.getNodeId().equals(node)));
        return (System.currentTimeMillis() - since) / 1000.0;
    }

    /**
     * Asserts that {@code status} lists each of the five jobs once, FINISHED, and that every task
     * of jobs 1, 2, 4 and 5 ran once (job 3's may have run again on the node left); returns the
     * status.
     */
    private static JsonNode assertEachJobOnce(ApplicationId id, Path dir) throws Exception {
        FlinkDriverCommand.Result r =
                FlinkDriverCommand.run("status", id.toString(), "--output", "json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode status = JSON.readTree(r.stdout());
        List<String> names = new ArrayList<>();
        for (JsonNode job : status.get("jobs")) {
            // Job names read "<program>: <name given to execute()>".
            String name = job.get("name").asText().replaceFirst("^.*: ", "");
            if (name.startsWith("job-")) {
                assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
                names.add(name);
            }
        }
        assertThat(names)
                .as("the jobs in status: %s", r.stdout())
                .containsExactlyInAnyOrder("job-1", "job-2", "job-3", "job-4", "job-5");
        Map<Integer, Long> runs = taskRuns(dir);
        assertThat(runs).containsKeys(1, 2, 3, 4, 5);
        for (int job : List.of(1, 2, 4, 5)) {
            assertThat(runs.get(job)).as("runs of job %d's task", job).isEqualTo(1L);
        }
        return status;
    }

    /** Seconds from {@code since} until a run of job 3's task began after it. */
    private static double job3Again(Path dir, long since) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            long first = Long.MAX_VALUE;
            for (Path f :
                    files.filter(f -> f.getFileName().toString().startsWith("job-3-")).toList()) {
                long t = Files.getLastModifiedTime(f).toMillis();
                if (t >= since) {
                    first = Math.min(first, t);
                }
            }
            return first == Long.MAX_VALUE ? -1 : (first - since) / 1000.0;
        }
    }

    private static double secondsSince(Path file, long since) throws Exception {
        return (Files.getLastModifiedTime(file).toMillis() - since) / 1000.0;
    }

    private static long pidIn(Path file) {
        return await().atMost(STEP_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Long.parseLong(Files.readString(file).trim()), pid -> pid > 0);
    }

    private static ApplicationReport awaitSucceeded(ApplicationId id) {
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        return end;
    }
}
