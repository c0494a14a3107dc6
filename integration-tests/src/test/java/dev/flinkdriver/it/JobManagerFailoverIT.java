package dev.flinkdriver.it;

import dev.flinkdriver.api.DriverDiagnosticsFormat;
import dev.flinkdriver.entrypoint.AbandonedResultEntries;
import dev.flinkdriver.it.apps.CheckpointedCountersApp;
import dev.flinkdriver.it.apps.FailoverApp;

import org.apache.flink.runtime.resourcemanager.slotmanager.DriverAwareResourceAllocationStrategy;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.flinkdriver.it.FailoverTraces.mainRuns;
import static dev.flinkdriver.it.FailoverTraces.result;
import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JobManager failover on the real test YARN with its ZooKeeper: the ApplicationMaster's JVM (the
 * JobManager) is killed with SIGKILL, the way a lost node looks to YARN.
 */
@ExtendWith(TestYarn.class)
class JobManagerFailoverIT {

    // Generous: on a loaded 2-core machine an ApplicationMaster alone takes minutes to start.
    private static final Duration APP_TIMEOUT = Duration.ofMinutes(8);

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void aLostJobManagerCostsAnAttemptAndNoFinishedJobRunsAgain() throws Exception {
        Path dir = FailoverTraces.newDir("jm-failover-sequential");
        ApplicationId id =
                submit(ha(2), TestJars.jarOf(FailoverApp.class), dir.toString(), "after-job-2");
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("kill-driver")));
        JobResultStoreFiles.awaitStored(id.toString(), 2, STEP_TIMEOUT);

        // As if the JobManager died while creating a job's result entry (made before the kill, so
        // that it is older than the next JobManager for sure): with Flink alone every later
        // JobManager stops at its start on the empty entry.
        Path abandoned = JobResultStoreFiles.abandonEntry(id.toString());
        long killedAt = System.currentTimeMillis();
        killJobManager(id, 1);

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getCurrentApplicationAttemptId().getAttemptId()).isEqualTo(2);
        assertThat(jobManagerLog(id, 2))
                .as("the second JobManager removed the abandoned entry")
                .content()
                .containsPattern(
                        LogLines.pattern(
                                AbandonedResultEntries.REMOVED,
                                "\\S*" + abandoned.getFileName(),
                                "job",
                                ".+"));
        assertThat(abandoned).doesNotExist();
        assertThat(end.getDiagnostics())
                .contains("4 jobs finished, 0 failed, 0 cancelled")
                .contains(DriverDiagnosticsFormat.jobManagerFailovers(1));
        assertThat(taskRuns(dir))
                .as("jobs 1-2 ran once, 3-4 once in the second attempt")
                .isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L, 4, 1L));
        for (int job = 1; job <= 2; job++) {
            assertThat(result(dir, 2, job))
                    .as(
                            "the restarted main()'s execute() of job %d returned its original result",
                            job)
                    .isEqualTo(result(dir, 1, job));
        }
        System.out.printf(
                "JobManager failover, AM killed -> job 3's result: %.1f s%n",
                (Files.getLastModifiedTime(dir.resolve("results/main-2-job-3")).toMillis()
                                - killedAt)
                        / 1000.0);
        assertCompleteHistory(id, 5);
    }

    /**
     * After the end, {@code status} and Flink's HistoryServer list every job of the application
     * exactly once, also those that ended under the lost JobManager.
     */
    private static void assertCompleteHistory(ApplicationId id, int jobs) throws Exception {
        FlinkDriverCommand.Result status =
                FlinkDriverCommand.run("status", id.toString(), "--output", "json");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.stdout());
        List<String> ids = json.get("jobs").findValuesAsText("id");
        List<String> names = json.get("jobs").findValuesAsText("name");
        assertThat(ids).as(status.stdout()).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(names).as(status.stdout()).doesNotHaveDuplicates();
        assertThat(names)
                .as("the jobs that ended under the first JobManager too")
                .anyMatch(n -> n.endsWith(": job-1"))
                .anyMatch(n -> n.endsWith(": job-2"));
        assertThat(json.get("jobs").findValuesAsText("state")).containsOnly("FINISHED");
        String historyServer = TestYarn.get().historyServerWebAddress();
        await("the HistoryServer lists the application's jobs")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            List<String> listed =
                                    FlinkRest.get(historyServer, "/jobs/overview")
                                            .get("jobs")
                                            .findValuesAsText("jid");
                            for (String job : ids) {
                                assertThat(listed.stream().filter(job::equals).count())
                                        .as("the HistoryServer lists %s once", job)
                                        .isEqualTo(1L);
                            }
                        });
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void runningStreamingJobsResumeFromTheirCheckpointsAndCancelEndsItKilled() throws Exception {
        Path dir = FailoverTraces.newDir("jm-failover-streaming");
        ApplicationId id =
                submit(ha(2), TestJars.jarOf(CheckpointedCountersApp.class), dir.toString());
        // Counted past a few checkpoints (one a second, 20 records a second).
        await().atMost(STEP_TIMEOUT)
                .ignoreExceptions()
                .until(
                        () ->
                                lastCount(dir, "counter-a") > 100
                                        && lastCount(dir, "counter-b") > 100);
        await().atMost(STEP_TIMEOUT).until(() -> runs(dir, "daemon", "").size() == 1);

        killJobManager(id, 1);

        for (String job : List.of("counter-a", "counter-b")) {
            await().atMost(STEP_TIMEOUT)
                    .ignoreExceptions()
                    .until(
                            () ->
                                    runs(dir, "counts", job).size() >= 2
                                            && hasCounts(newest(dir, job)));
            assertThat(firstCount(newest(dir, job)))
                    .as("%s went on from its latest checkpoint instead of from zero", job)
                    .isGreaterThan(20L);
        }
        await().atMost(STEP_TIMEOUT).until(() -> runs(dir, "daemon", "").size() >= 2);
        await().atMost(STEP_TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(runs(dir, "collected", ""))
                                        .as(
                                                "the job whose rows go to main() ran again for"
                                                        + " the restarted main()")
                                        .hasSize(2)
                                        .allSatisfy(f -> assertThat(f).hasContent("1,2,3")));
        // What DriverAwareResourceAllocationStrategy logs when it asks for a new driver
        // TaskManager: the first JobManager did, the second found the kept one.
        assertThat(jobManagerLog(id, 1))
                .as("the first JobManager's log")
                .content()
                .contains(
                        LogLines.prefix(
                                DriverAwareResourceAllocationStrategy
                                        .PLANNING_DRIVER_TASK_MANAGER));
        assertThat(jobManagerLog(id, 2))
                .as("the driver ran on the TaskManager YARN kept from the lost attempt")
                .content()
                .containsPattern("Recovered [1-9]\\d* containers from previous attempts")
                .doesNotContain(
                        LogLines.prefix(
                                DriverAwareResourceAllocationStrategy
                                        .PLANNING_DRIVER_TASK_MANAGER));
        assertThat(containersOfAttempt(id, 2))
                .as(
                        "the second JobManager started no TaskManager (not for the driver, not"
                                + " for driver.prewarm-taskmanagers): it took over the kept ones")
                .containsExactly(1L);
        assertThat(TestYarn.get().yarnClient().getApplicationReport(id).getYarnApplicationState())
                .isEqualTo(YarnApplicationState.RUNNING);

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", id.toString());
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains(id.toString()).contains("KILLED");
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);
        assertThat(end.getDiagnostics()).contains(DriverDiagnosticsFormat.jobManagerFailovers(1));
        assertNothingLeftRunning(id);
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void withoutHaALostJobManagerFailsTheApplicationAndStatusSaysWhy() throws Exception {
        Path dir = FailoverTraces.newDir("jm-failover-no-ha");
        ApplicationId id =
                submit(List.of(), TestJars.jarOf(FailoverApp.class), dir.toString(), "after-job-2");
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("kill-driver")));

        killJobManager(id, 1);

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        // The closing attempt (driver.client.closing-attempt) wrote YARN's diagnostics.
        assertThat(end.getCurrentApplicationAttemptId().getAttemptId()).isEqualTo(2);
        assertThat(end.getDiagnostics())
                .startsWith(
                        "flink-driver: application FAILED: The JobManager (YARN attempt 1 of 1)"
                                + " was lost: AM Container for appattempt_")
                .contains("exitCode: 137")
                .contains(
                        "Without high availability the application cannot recover its jobs; set"
                                + " high-availability.type: zookeeper,"
                                + " high-availability.zookeeper.quorum and"
                                + " yarn.application-attempts: 2 to survive it.");
        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id.toString());
        assertThat(status.stdout())
                .contains("Diagnostics:  " + end.getDiagnostics().strip())
                .contains("Attempt:      2 (JobManager lost 1 time)");
        assertNothingLeftRunning(id);
        assertStagingRemoved(id);
        assertThat(mainRuns(dir)).as("nothing ran main() again").isEqualTo(1);
    }

    @Test
    @Timeout(value = 18, unit = MINUTES)
    void twoLostJobManagersSpendTwoAttempts() throws Exception {
        Path dir = FailoverTraces.newDir("jm-failover-two-kills");
        List<String> options = new ArrayList<>(ha(2));
        // Flink's default counts only failures within 10 s of each other: a JobManager lost
        // every few minutes would get attempts forever.
        options.addAll(
                List.of("-yD", "yarn.application-attempt-failures-validity-interval=3600000"));
        ApplicationId id =
                submit(options, TestJars.jarOf(CheckpointedCountersApp.class), dir.toString());
        await().atMost(STEP_TIMEOUT)
                .ignoreExceptions()
                .until(() -> lastCount(dir, "counter-a") > 20);

        killJobManager(id, 1);
        killJobManager(id, 2);

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .startsWith(
                        "flink-driver: application FAILED: The JobManager was lost 2 times within"
                                + " 3600000 ms, the last time on YARN attempt 2: AM Container for"
                                + " appattempt_")
                .contains(
                        "The attempts are spent (yarn.application-attempts: 2,"
                                + " yarn.application-attempt-failures-validity-interval:"
                                + " 3600000); raise yarn.application-attempts to survive more.");
        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id.toString());
        assertThat(status.stdout())
                .contains("Diagnostics:  " + end.getDiagnostics().strip())
                .contains("Attempt:      3 (JobManager lost 2 times)");
        assertNothingLeftRunning(id);
        assertStagingRemoved(id);
    }

    // ------------------------------------------------------------------------

    private static void assertNothingLeftRunning(ApplicationId id) {
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofMinutes(1));
    }

    /** The log of the JobManager of YARN attempt {@code attempt}, in its AM container. */
    private static Path jobManagerLog(ApplicationId id, int attempt) throws IOException {
        return TestYarn.get().jobManagerLog(id, attempt);
    }

    /**
     * The sequence numbers of the containers YARN allocated for attempt {@code attempt} (1 is its
     * ApplicationMaster): those the ResourceManager lists as live, and those a NodeManager has
     * launched (their log directories), so that neither a container still being localised nor one
     * already given back is missed.
     */
    private static List<Long> containersOfAttempt(ApplicationId id, int attempt) throws Exception {
        List<ContainerId> containers = new ArrayList<>();
        for (ContainerReport live :
                TestYarn.get()
                        .yarnClient()
                        .getContainers(ApplicationAttemptId.newInstance(id, attempt))) {
            containers.add(live.getContainerId());
        }
        try (Stream<Path> launched =
                Files.list(TestYarn.get().containerLogs().resolve(id.toString()))) {
            launched.map(c -> ContainerId.fromString(c.getFileName().toString()))
                    .forEach(containers::add);
        }
        return containers.stream()
                .filter(c -> c.getApplicationAttemptId().getAttemptId() == attempt)
                .map(c -> c.getContainerId() & ContainerId.CONTAINER_ID_BITMASK)
                .distinct()
                .sorted()
                .toList();
    }

    /** The staging directory, and with it the HA data driver mode keeps there, is gone. */
    private static void assertStagingRemoved(ApplicationId id) {
        Path staging = TestPaths.clientWorkDir().resolve("staging/.flink/" + id);
        await().atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> assertThat(staging).as("staging directory").doesNotExist());
    }

    private static List<String> ha(int attempts) throws IOException {
        return List.of(
                "-yD",
                "high-availability.type=zookeeper",
                "-yD",
                "high-availability.zookeeper.quorum=" + TestYarn.get().zookeeperQuorum(),
                "-yD",
                "yarn.application-attempts=" + attempts);
    }

    private static ApplicationId submit(List<String> options, Path jar, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(options);
        all.add(jar.toString());
        all.addAll(List.of(args));
        return FlinkDriverCommand.submitDriver(all.toArray(String[]::new));
    }

    /**
     * Kills the JVM of the ApplicationMaster of YARN attempt {@code attempt}, once that attempt
     * runs, with SIGKILL; its pid is found by its container id on this one-host YARN.
     */
    private static void killJobManager(ApplicationId id, int attempt) {
        ProcessHandle am =
                await().atMost(STEP_TIMEOUT)
                        .ignoreExceptions()
                        .until(() -> jobManagerProcess(id, attempt), p -> p != null);
        LostProcesses.kill(am);
        // The moment the recovery phases in the JobManagers' logs are measured from.
        System.out.printf(
                "SIGKILL to the JobManager of %s attempt %d at %s%n",
                id, attempt, java.time.LocalDateTime.now());
    }

    private static ProcessHandle jobManagerProcess(ApplicationId id, int attempt) throws Exception {
        return LostProcesses.applicationMaster(id, attempt).orElse(null);
    }

    private static List<Path> runs(Path dir, String sub, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(sub))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    /** The file of the counter task run written last: the one that runs now. */
    private static Path newest(Path dir, String job) throws IOException {
        return runs(dir, "counts", job).stream()
                .max(
                        (x, y) -> {
                            try {
                                return Long.compare(lastWritten(x), lastWritten(y));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                .orElseThrow();
    }

    private static long lastWritten(Path file) throws IOException {
        return ((java.nio.file.attribute.FileTime) Files.getAttribute(file, "creationTime"))
                .toMillis();
    }

    private static boolean hasCounts(Path file) throws IOException {
        return !Files.readAllLines(file).isEmpty();
    }

    private static long firstCount(Path file) throws IOException {
        return Long.parseLong(Files.readAllLines(file).get(0).trim());
    }

    private static long lastCount(Path dir, String job) throws IOException {
        List<String> lines = Files.readAllLines(newest(dir, job));
        return Long.parseLong(lines.get(lines.size() - 1).trim());
    }
}
