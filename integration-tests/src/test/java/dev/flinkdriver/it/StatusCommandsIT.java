package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.LibJarApp;
import dev.flinkdriver.it.apps.ShippedFileApp;
import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.lib.Greeting;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

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

/** Following and stopping a driver application with flink-driver status, list and cancel. */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StatusCommandsIT {

    @Test
    void statusListAndCancelFollowAndStopAnApplication() throws Exception {
        ApplicationId appId =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(SlowJobApp.class).toString(), "wait", "300");
        String id = appId.toString();
        String rest = TestYarn.get().awaitRunning(appId).getOriginalTrackingUrl();
        DriverResourcesIT.awaitJob(rest, ": slow-job", "RUNNING");

        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("State:        RUNNING")
                .contains("Queue:        root.default")
                .containsPattern("RUNNING +DRIVER .*Flink Driver: " + SlowJobApp.class.getName())
                .containsPattern("RUNNING +NORMAL .*: slow-job");

        JsonNode json =
                new ObjectMapper()
                        .readTree(
                                FlinkDriverCommand.run("status", id, "--output", "json").stdout());
        assertThat(json.get("state").asText()).isEqualTo("RUNNING");
        assertThat(json.get("jobs")).hasSize(2);

        assertThat(FlinkDriverCommand.run("list").stdout()).contains(id).contains("RUNNING");
        JsonNode list =
                new ObjectMapper()
                        .readTree(FlinkDriverCommand.run("list", "--output", "json").stdout());
        assertThat(list.findValuesAsText("id")).contains(id);

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", id);
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains(id).contains("KILLED");
        ApplicationReport end =
                TestYarn.get().yarnClient().getApplicationReport(ApplicationId.fromString(id));
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);

        assertThat(FlinkDriverCommand.run("list").stdout()).doesNotContain(id);
        assertThat(FlinkDriverCommand.run("list", "--all").stdout()).contains(id);
        FlinkDriverCommand.Result after = FlinkDriverCommand.run("status", id);
        assertThat(after.stdout()).contains("Final status: KILLED");
        FlinkOnYarnPlatformIT.awaitNoContainers(TestYarn.get(), Duration.ofSeconds(60));
    }

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

    @Test
    void shippedFilesAreReadableFromMainAndFromTasks() throws Exception {
        Path file = TestPaths.itDir().resolve("greeting.txt");
        Files.writeString(file, "hello from the client\n");
        Path output = TestPaths.itDir().resolve("shipped-" + System.nanoTime());
        assertThat(
                        resultsOf(
                                output,
                                "--file",
                                file.toString(),
                                TestJars.jarOf(ShippedFileApp.class).toString(),
                                "greeting.txt",
                                output.toString()))
                .containsExactly("main hello from the client", "task hello from the client");
    }

    @Test
    void libJarsAreOnTheClassPathOfMainAndOfTasks() throws Exception {
        Path output = TestPaths.itDir().resolve("libjars-" + System.nanoTime());
        assertThat(
                        resultsOf(
                                output,
                                "--libjars",
                                TestJars.jarOf(Greeting.class).toString(),
                                TestJars.jarOf(LibJarApp.class).toString(),
                                output.toString()))
                .containsExactly("hello main", "hello task");
    }

    @Test
    void runHelpListsEveryOptionInGroups() throws Exception {
        FlinkDriverCommand.Result help = FlinkDriverCommand.run("run", "-D", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout())
                .contains("Common options")
                .contains("Driver options")
                .contains("YARN and deployment options")
                .contains("--driverheapmemory")
                .contains("--libjars")
                .contains("--file")
                .contains("-yqu")
                .contains("--fromSavepoint")
                .contains("--classpath");
    }

    @Test
    void unknownApplicationIsOneLine() throws Exception {
        FlinkDriverCommand.Result r = FlinkDriverCommand.run("status", "application_1_9999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(r.stderr()).contains("application_1_9999");
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
