package dev.flinkdriver.it;

import dev.flinkdriver.api.DriverDiagnosticsFormat;
import dev.flinkdriver.entrypoint.DriverApplicationIds;
import dev.flinkdriver.it.apps.HistoryApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LogAggregationStatus;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After the end: an ended driver application's jobs in {@code flink-driver status} (read from the
 * job archive) and in Flink's HistoryServer, and what main() printed and the JobManager logged in
 * {@code flink-driver logs} (read from YARN's aggregated logs).
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HistoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statusHistoryServerAndLogsShowAnEndedMultiJobApplication() throws Exception {
        Path marker = TestPaths.itDir().resolve("history-it-" + System.nanoTime());
        ApplicationId appId =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(HistoryApp.class).toString(), "succeed", marker.toString());
        String id = appId.toString();

        // While it runs, logs reads the driver's container through the NodeManager.
        TestYarn.get().awaitRunning(appId);
        await("flink-driver logs shows main()'s stdout while the application runs")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> FlinkDriverCommand.run("logs", id),
                        r -> r.exitCode() == 0 && r.stdout().contains(HistoryApp.STDOUT_LINE));
        assertThat(
                        TestYarn.get()
                                .yarnClient()
                                .getApplicationReport(appId)
                                .getYarnApplicationState())
                .isEqualTo(YarnApplicationState.RUNNING);
        FlinkDriverCommand.Result runningJobManager =
                FlinkDriverCommand.run("logs", id, "--jobmanager");
        assertThat(runningJobManager.exitCode()).as(runningJobManager.stderr()).isZero();
        assertThat(runningJobManager.stdout()).contains("YarnDriverClusterEntrypoint");
        Files.writeString(marker, "end");

        ApplicationReport end = awaitEnd(appId);
        long finishedAt = System.nanoTime();
        Files.delete(marker);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        CompletableFuture<Double> aggregated =
                CompletableFuture.supplyAsync(() -> secondsUntilAggregated(appId, finishedAt));

        // Flink's HistoryServer lists the application's jobs; YARN's final tracking URL points to
        // it.
        String historyServer = TestYarn.get().historyServerWebAddress();
        String driverJob = DriverApplicationIds.driverJobOf(appId).toString();
        await("the HistoryServer lists the driver job")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> jobsOf(historyServer), l -> l.contains(driverJob));
        double historyServerSeconds = secondsSince(finishedAt);
        assertThat(end.getOriginalTrackingUrl()).startsWith(historyServer);

        // status: every job with its final state and living priority, from the archive.
        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id);
        double statusSeconds = secondsSince(finishedAt);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("Final status: SUCCEEDED")
                .contains("Driver:       attempt 1")
                .containsPattern("FINISHED +DRIVER .*Flink Driver: " + HistoryApp.class.getName())
                .containsPattern("FINISHED +NORMAL .*: history-a")
                .containsPattern("FINISHED +NORMAL .*: history-b");
        JsonNode json =
                JSON.readTree(FlinkDriverCommand.run("status", id, "--output", "json").stdout());
        assertThat(json.get("state").asText()).isEqualTo("FINISHED");
        assertThat(json.get("driver").get("attempt").asInt()).isEqualTo(1);
        assertThat(json.get("jobs")).hasSize(3);
        Map<String, String> priorities = new HashMap<>();
        for (JsonNode job : json.get("jobs")) {
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("FINISHED");
            assertThat(job.get("startTime").asLong()).isPositive();
            assertThat(job.get("durationMs").asLong()).isNotNegative();
            priorities.put(job.get("name").asText(), job.get("livingPriority").asText());
        }
        assertThat(priorities.values()).containsExactlyInAnyOrder("DRIVER", "NORMAL", "NORMAL");
        assertThat(jobsOf(historyServer)).containsAll(json.get("jobs").findValuesAsText("id"));

        // logs: main()'s stdout, with --stderr its stderr too, and the JobManager's log.
        FlinkDriverCommand.Result stdout = FlinkDriverCommand.run("logs", id);
        double logsSeconds = secondsSince(finishedAt);
        assertThat(stdout.exitCode()).as(stdout.stderr()).isZero();
        assertThat(stdout.stdout()).contains(HistoryApp.STDOUT_LINE);
        assertThat(stdout.stdout()).doesNotContain(HistoryApp.STDERR_LINE);
        FlinkDriverCommand.Result both = FlinkDriverCommand.run("logs", id, "--stderr");
        assertThat(both.exitCode()).as(both.stderr()).isZero();
        assertThat(both.stdout())
                .contains(HistoryApp.STDOUT_LINE)
                .contains(HistoryApp.STDERR_LINE)
                .contains("taskmanager.err");
        FlinkDriverCommand.Result jobManager = FlinkDriverCommand.run("logs", id, "--jobmanager");
        assertThat(jobManager.exitCode()).as(jobManager.stderr()).isZero();
        assertThat(jobManager.stdout())
                .contains("YarnDriverClusterEntrypoint")
                .contains("application SUCCEEDED: 2 jobs finished");
        System.out.printf(
                "HistoryIT: after YARN FINISHED, the HistoryServer listed the driver job at %.1f s;"
                        + " status complete at %.1f s (its client run %.1f s); logs complete at"
                        + " %.1f s (its client run %.1f s); YARN aggregated the logs at %.1f s%n",
                historyServerSeconds,
                statusSeconds,
                status.millis() / 1000.0,
                logsSeconds,
                stdout.millis() / 1000.0,
                aggregated.get(2, TimeUnit.MINUTES));
    }

    @Test
    void statusAndLogsShowWhyAnApplicationFailed() throws Exception {
        ApplicationId appId =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(HistoryApp.class).toString(), "fail");
        String id = appId.toString();
        ApplicationReport end = awaitEnd(appId);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains("java.lang.IllegalStateException")
                .contains(HistoryApp.FAILURE)
                .contains("1 jobs finished")
                .contains("1 cancelled")
                .as("main() throwing is the program's own failure: no driver restart")
                .contains(DriverDiagnosticsFormat.driverRestarts(0));

        FlinkDriverCommand.Result status = FlinkDriverCommand.run("status", id);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("Final status: FAILED")
                .contains("java.lang.IllegalStateException: " + HistoryApp.FAILURE)
                .containsPattern("FAILED +DRIVER ")
                .containsPattern("FINISHED +NORMAL .*: history-a")
                .containsPattern("CANCELED +NORMAL .*: history-endless");
        JsonNode json =
                JSON.readTree(FlinkDriverCommand.run("status", id, "--output", "json").stdout());
        assertThat(json.get("diagnostics").asText()).contains(HistoryApp.FAILURE);
        assertThat(json.get("jobs").findValuesAsText("state"))
                .containsExactlyInAnyOrder("FAILED", "FINISHED", "CANCELED");

        FlinkDriverCommand.Result stderr =
                await("flink-driver logs --stderr shows main()'s stack trace")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> FlinkDriverCommand.run("logs", id, "--stderr"),
                                r -> r.exitCode() == 0 && r.stdout().contains(HistoryApp.FAILURE));
        assertThat(stderr.stdout())
                .contains("java.lang.IllegalStateException: " + HistoryApp.FAILURE)
                .contains("at " + HistoryApp.class.getName() + ".main(HistoryApp.java");

        // Once YARN has aggregated the logs and they are removed, YARN has them nowhere.
        await("log aggregation done")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                TestYarn.get()
                                        .yarnClient()
                                        .getApplicationReport(appId)
                                        .getLogAggregationStatus(),
                        s -> s == LogAggregationStatus.SUCCEEDED);
        deleteAggregatedLogs(appId);
        FlinkDriverCommand.Result gone = FlinkDriverCommand.run("logs", id, "--stderr");
        assertThat(gone.exitCode()).as(gone.stdout() + gone.stderr()).isEqualTo(2);
        assertOneLine(gone, "YARN no longer has taskmanager.out of container");
        TestYarn.get().awaitNothingLeftRunning(appId, Duration.ofSeconds(60));
    }

    @Test
    void logsRefusesUnknownAndForeignApplications() throws Exception {
        FlinkDriverCommand.Result unknown = FlinkDriverCommand.run("logs", "application_1000_0001");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertOneLine(unknown, "YARN knows no application application_1000_0001");

        FlinkDriverCommand.Result notAnId = FlinkDriverCommand.run("logs", "application_x");
        assertThat(notAnId.exitCode()).isEqualTo(2);
        assertOneLine(notAnId, "Not a YARN application id: application_x");

        ApplicationId foreign = submitForeignApplication();
        try {
            FlinkDriverCommand.Result r = FlinkDriverCommand.run("logs", foreign.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertOneLine(r, foreign + " is not a driver application");
        } finally {
            TestYarn.get().yarnClient().killApplication(foreign);
        }
    }

    /** A YARN application that is not a driver application: an AM that only sleeps. */
    private static ApplicationId submitForeignApplication() throws Exception {
        YarnClient yarn = TestYarn.get().yarnClient();
        YarnClientApplication app = yarn.createApplication();
        ApplicationSubmissionContext context = app.getApplicationSubmissionContext();
        context.setApplicationName("not-a-driver");
        context.setApplicationTags(Set.of("history-it"));
        context.setResource(Resource.newInstance(256, 1));
        context.setAMContainerSpec(
                ContainerLaunchContext.newInstance(
                        Map.of(), Map.of(), List.of("sleep 120"), null, null, null));
        yarn.submitApplication(context);
        return context.getApplicationId();
    }

    private static List<String> jobsOf(String historyServer) throws Exception {
        return FlinkRest.get(historyServer, "/jobs/overview").get("jobs").findValuesAsText("jid");
    }

    /** Seconds from {@code since} until YARN reports the application's logs aggregated. */
    private static double secondsUntilAggregated(ApplicationId appId, long since) {
        await("YARN aggregated the logs of " + appId)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                TestYarn.get()
                                        .yarnClient()
                                        .getApplicationReport(appId)
                                        .getLogAggregationStatus(),
                        s -> s == LogAggregationStatus.SUCCEEDED);
        return secondsSince(since);
    }

    private static ApplicationReport awaitEnd(ApplicationId appId) {
        return TestYarn.get().waitForFinalState(appId, Duration.ofMinutes(5));
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void assertOneLine(FlinkDriverCommand.Result r, String expected) {
        List<String> lines = r.stderr().strip().lines().toList();
        assertThat(lines).as(r.stderr()).hasSize(1);
        assertThat(lines.get(0)).startsWith("flink-driver: ").contains(expected);
    }

    /** YARN's aggregated logs of the application: one directory named after it. */
    private static void deleteAggregatedLogs(ApplicationId appId) throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(TestYarn.get().aggregatedLogs())) {
            all.filter(p -> p.getFileName().toString().equals(appId.toString())).forEach(dirs::add);
        }
        assertThat(dirs).as("aggregated logs of " + appId).isNotEmpty();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
