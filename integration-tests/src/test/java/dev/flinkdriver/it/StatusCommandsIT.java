package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.CancelledMainApp;
import dev.flinkdriver.it.apps.ShippedFileAndLibJarApp;
import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.lib.Greeting;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code flink-driver run} ships ({@code --file}, {@code --libjars}) and a cancel right after
 * it. Status, list and cancel of a running application are asserted on applications other classes
 * run anyway: YarnNativeIT (status and list while it runs and after YARN killed it) and
 * JobManagerFailoverIT (cancel); the run help is a unit test (FlinkDriverCliTest), the status of an
 * unknown application a case of BadInputIT.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StatusCommandsIT {

    /**
     * {@code run} returns once YARN has accepted the application, which is when a user who notices
     * a mistake cancels: nothing has run yet, so the YARN application is killed (state KILLED,
     * where a cancelled driver job ends FINISHED/KILLED) and its staging files go with it. The
     * ApplicationMaster takes several seconds to start here, the cancel command about two.
     */
    @Test
    void cancelRightAfterRunKillsTheAcceptedApplication() throws Exception {
        Set<Path> staging = StagingFiles.snapshot();
        ApplicationId appId =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(SlowJobApp.class).toString(), "wait", "300");

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", appId.toString());

        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains(appId + ": KILLED KILLED");
        ApplicationReport end = TestYarn.get().yarnClient().getApplicationReport(appId);
        assertThat(end.getYarnApplicationState()).isEqualTo(YarnApplicationState.KILLED);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);
        assertThat(StagingFiles.newSince(staging)).as("staging files left").isEmpty();
        FlinkDriverCommand.Result again = FlinkDriverCommand.run("cancel", appId.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("has already ended: KILLED");
    }

    /**
     * Cancelling a running application cancels its driver job; main() runs on until its task has
     * stopped, and a job it submits meanwhile is refused from the cancel on.
     */
    @Test
    void aMainThatGoesOnAfterTheCancelGetsNoFurtherJob() throws Exception {
        Path dir = FailoverTraces.newDir("cancelled-main");
        ApplicationId appId =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(CancelledMainApp.class).toString(), dir.toString());
        String rest = TestYarn.get().awaitRunning(appId).getOriginalTrackingUrl();
        DriverResourcesIT.awaitJob(rest, ": slow-job", "RUNNING");

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", appId.toString());

        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains("KILLED");
        assertThat(
                        await().atMost(Duration.ofMinutes(1))
                                .ignoreExceptions()
                                .until(
                                        () -> Files.readString(dir.resolve("after-cancel")),
                                        s -> true))
                .startsWith("refused:")
                .contains("is ending (CANCELED): it takes no new jobs");
    }

    @Test
    void shippedFilesAndLibJarsReachMainAndTasks() throws Exception {
        Path file = TestPaths.itDir().resolve("greeting.txt");
        Files.writeString(file, "hello from the client\n");
        Path output = TestPaths.itDir().resolve("shipped-" + System.nanoTime());
        assertThat(
                        resultsOf(
                                output,
                                "--file",
                                file.toString(),
                                "--libjars",
                                TestJars.jarOf(Greeting.class).toString(),
                                TestJars.jarOf(ShippedFileAndLibJarApp.class).toString(),
                                "greeting.txt",
                                output.toString()))
                .containsExactly(
                        "main hello from the client",
                        "hello main",
                        "task hello from the client",
                        "hello task");
    }

    /**
     * {@code run -D <runArgs>} without {@code -m} (driver mode picks the configured YARN), followed
     * to its end; the lines of the results.txt main() and its tasks wrote to {@code output}.
     */
    private static List<String> resultsOf(Path output, String... runArgs) throws Exception {
        List<String> run = new ArrayList<>(List.of("run", "-D"));
        run.addAll(List.of(runArgs));
        FlinkDriverCommand.Result submit = FlinkDriverCommand.run(run.toArray(String[]::new));
        assertThat(submit.exitCode()).as(submit.stderr()).isZero();
        FlinkDriverCommand.Result wait =
                FlinkDriverCommand.run("status", submit.applicationId(), "--wait");
        assertThat(wait.exitCode()).as(wait.stdout()).isZero();
        return Files.readAllLines(output.resolve("results.txt"));
    }
}
