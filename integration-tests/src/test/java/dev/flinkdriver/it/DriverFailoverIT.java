package dev.flinkdriver.it;

import dev.flinkdriver.api.DriverDiagnosticsFormat;
import dev.flinkdriver.it.apps.FailoverApp;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.flinkdriver.it.FailoverTraces.mainRuns;
import static dev.flinkdriver.it.FailoverTraces.result;
import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Driver failover on the real test YARN: the container that runs main() is lost the way a lost node
 * looks to YARN (its JVM killed with SIGKILL), and the application still runs every job exactly
 * once.
 */
@ExtendWith(TestYarn.class)
class DriverFailoverIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(6);

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    /**
     * Anything up to the next attempt's header: YARN's log reader puts its own header, with a line
     * of '=', between an attempt's marker and the file's contents.
     */
    private static final String SAME_ATTEMPT = "(?:(?!==> driver attempt).)*?";

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void driverLostAfterJob2RunsMainAgainWithoutRunningAJobTwice() throws Exception {
        Path dir = FailoverTraces.newDir("failover-after-job-2");
        ApplicationId id = submit(dir, "after-job-2");

        kill(awaitPid(dir.resolve("kill-driver")));

        assertThat(awaitSucceeded(id))
                .contains("4 jobs finished, 0 failed, 0 cancelled")
                .contains(DriverDiagnosticsFormat.driverRestarts(1));
        assertThat(mainRuns(dir)).as("main() ran twice").isEqualTo(2);
        assertThat(taskRuns(dir))
                .as("every job ran exactly once")
                .isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L, 4, 1L));
        for (int job = 1; job <= 2; job++) {
            assertThat(result(dir, 2, job))
                    .as(
                            "the restarted main()'s execute() of job %d returned the original result",
                            job)
                    .isEqualTo(result(dir, 1, job));
        }
        assertThat(result(dir, 2, 4)).isNotEmpty();

        FlinkDriverCommand.Result logs = FlinkDriverCommand.run("logs", id.toString());
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        assertThat(logs.stdout())
                .as("each driver attempt's output, marked by its attempt, oldest first")
                .containsPattern(
                        "(?s)==> driver attempt 1: container_\\S+ taskmanager.out <==\\R"
                                + SAME_ATTEMPT
                                + "main\\(\\) run 1 starts\\R.*"
                                + "==> driver attempt 2: container_\\S+ taskmanager.out <==\\R"
                                + SAME_ATTEMPT
                                + "main\\(\\) run 2 starts");
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void driverLostWhileJob3RunsAttachesToJob3AndTheDaemonJobInANewDriverContainer()
            throws Exception {
        Path dir = FailoverTraces.newDir("failover-during-job-3");
        // A driver container larger than the user TaskManagers, to tell them apart in YARN.
        ApplicationId id = submit(dir, "during-job-3", "--driverheapmemory", "1024");
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("job-3-running")));
        List<ContainerReport> before = driverContainers(id);
        assertThat(before).hasSize(1);

        kill(awaitPid(dir.resolve("main-1")));
        await().atMost(STEP_TIMEOUT).until(() -> Files.exists(dir.resolve("main-2")));
        List<ContainerReport> after = driverContainers(id);
        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id.toString());
        FlinkDriverCommand.Result json =
                FlinkDriverCommand.run("status", id.toString(), "--output", "json");
        Files.writeString(dir.resolve("release"), "");

        assertThat(status.stdout())
                .as("status shows the driver's attempt and why it restarted")
                .contains("Driver:       attempt 2, restarted after: ")
                .contains(before.get(0).getContainerId().toString());
        assertThat(json.stdout()).contains("\"driver\":{\"attempt\":2,\"lastRestartCause\":\"");

        assertThat(after)
                .as("YARN released the lost driver container; a new one of its size runs")
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.getContainerId())
                                    .isNotEqualTo(before.get(0).getContainerId());
                            assertThat(c.getAllocatedResource())
                                    .isEqualTo(before.get(0).getAllocatedResource());
                        });
        assertThat(awaitSucceeded(id))
                .as("the DAEMON job lived through the restart and was cancelled at the end")
                .contains("4 jobs finished, 0 failed, 1 cancelled")
                .contains(DriverDiagnosticsFormat.driverRestarts(1));
        assertThat(taskRuns(dir))
                .as("job 3 and the DAEMON job (0) were attached to, not run again")
                .isEqualTo(Map.of(0, 1L, 1, 1L, 2, 1L, 3, 1L, 4, 1L));
        assertThat(result(dir, 2, 3)).as("the restarted main() got job 3's result").isNotEmpty();
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void aRestartedMainThatSubmitsOtherJobsFailsTheApplicationNamingBoth() throws Exception {
        Path dir = FailoverTraces.newDir("failover-other-jobs");
        ApplicationId id = submit(dir, "other-jobs");

        kill(awaitPid(dir.resolve("kill-driver")));

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains(": beta' as job #1")
                .contains("job #1 was '")
                .contains(": alpha'");
        assertThat(taskRuns(dir)).as("beta never ran").isEqualTo(Map.of(1, 1L));
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void aLostUserTaskManagerRestartsTheUserJobNotTheDriver() throws Exception {
        Path dir = FailoverTraces.newDir("failover-kill-user-task");
        ApplicationId id = submit(dir, "kill-user-task");

        kill(awaitPid(dir.resolve("kill-task")));

        assertThat(awaitSucceeded(id))
                .contains("4 jobs finished, 0 failed, 0 cancelled")
                .contains(DriverDiagnosticsFormat.driverRestarts(0));
        assertThat(mainRuns(dir)).as("main() ran once").isEqualTo(1);
        assertThat(taskRuns(dir))
                .as("job 1 ran again by its own restart strategy, the others once")
                .isEqualTo(Map.of(1, 2L, 2, 1L, 3, 1L, 4, 1L));
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void systemExitInMainFailsTheApplicationAtOnceWithoutARestart() throws Exception {
        Path dir = FailoverTraces.newDir("failover-exit");
        ApplicationId id = submit(dir, "exit");

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains("1 jobs finished")
                .contains(DriverDiagnosticsFormat.driverRestarts(0))
                .contains("UserSystemExitException");
        assertThat(mainRuns(dir)).as("main() ran once").isEqualTo(1);
    }

    /** The diagnostics of the application, which must end SUCCEEDED. */
    private static String awaitSucceeded(ApplicationId id) throws Exception {
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        return end.getDiagnostics();
    }

    private static ApplicationId submit(Path dir, String mode, String... driverOptions)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(driverOptions));
        args.add(TestJars.jarOf(FailoverApp.class).toString());
        args.add(dir.toString());
        args.add(mode);
        return FlinkDriverCommand.submitDriver(args.toArray(String[]::new));
    }

    /** What a lost node looks like to YARN: the process whose pid the application wrote. */
    private static void kill(long pid) {
        LostProcesses.kill(
                ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid)));
    }

    /** The pid the application wrote into {@code file}, once it is there. */
    private static long awaitPid(Path file) {
        return await().atMost(STEP_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Long.parseLong(Files.readString(file).trim()), pid -> pid > 0);
    }

    /** Live containers of the driver's size: larger than any user TaskManager, not the AM. */
    private static final long USER_TASK_MANAGER_MB = 1280;

    private static List<ContainerReport> driverContainers(ApplicationId id) throws Exception {
        ApplicationReport report = TestYarn.get().yarnClient().getApplicationReport(id);
        return TestYarn.get()
                .yarnClient()
                .getContainers(report.getCurrentApplicationAttemptId())
                .stream()
                .filter(c -> c.getContainerId().getContainerId() != 1)
                // User TaskManagers are 1280 MB (conf/config.yaml); a 1024 MB driver's is
                // larger (1536 MB with the driver's own framework and JVM sizes).
                .filter(c -> c.getAllocatedResource().getMemorySize() > USER_TASK_MANAGER_MB)
                .filter(c -> c.getContainerState() != ContainerState.COMPLETE)
                .toList();
    }
}
