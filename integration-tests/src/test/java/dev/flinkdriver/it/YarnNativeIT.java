package dev.flinkdriver.it;

import dev.flinkdriver.client.YarnApplicationStates;
import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.apps.StepsApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.UndeclaredThrowableException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A driver application as YARN itself reports it: queue, identity, tracking URL, progress, ACLs;
 * and as flink-driver status and list report it.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class YarnNativeIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void queueNameTagsPriorityProgressAndTrackingUrlAreWhatYarnReports() throws Exception {
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-yqu",
                        "batch",
                        "-ynm",
                        "nightly-report",
                        "-Dyarn.tags=team-a,nightly",
                        "-Dyarn.application.priority=5",
                        TestJars.jarOf(StepsApp.class).toString(),
                        "5",
                        "3");
        YarnClient yarn = TestYarn.get().yarnClient();
        ApplicationReport accepted = yarn.getApplicationReport(id);
        assertThat(accepted.getQueue()).isIn("batch", "root.batch");
        assertThat(accepted.getName()).isEqualTo("nightly-report");
        assertThat(accepted.getApplicationType()).isEqualTo("Apache Flink");
        assertThat(accepted.getApplicationTags()).contains("flink-driver", "team-a", "nightly");
        assertThat(accepted.getPriority().getPriority()).isEqualTo(5);

        String trackingUrl = TestYarn.get().awaitRunning(id).getTrackingUrl();
        assertThat(trackingUrl).contains("/proxy/" + id);
        JsonNode config = FlinkRest.get(trackingUrl, "/config");
        assertThat(config.has("flink-version")).isTrue();
        // Through the RM's proxy; on a loaded machine one request may take longer than its 10 s.
        JsonNode overview =
                await("/jobs/overview through the proxy")
                        .atMost(Duration.ofMinutes(1))
                        .ignoreExceptions()
                        .until(() -> FlinkRest.get(trackingUrl, "/jobs/overview"), n -> true);
        assertThat(overview.has("jobs")).isTrue();

        // Five jobs of 3 s at Flink's default heartbeat (yarn.heartbeat.interval: 5 s): every
        // report until the end is a sample of the progress.
        List<Float> seen = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        long since = System.nanoTime();
        ApplicationReport r =
                await("application " + id + " ends")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(300))
                        .until(
                                () -> {
                                    ApplicationReport report = yarn.getApplicationReport(id);
                                    if (report.getYarnApplicationState()
                                            == YarnApplicationState.RUNNING) {
                                        seen.add(report.getProgress());
                                        samples.add(
                                                String.format(
                                                        "%.1fs:%.3f",
                                                        (System.nanoTime() - since) / 1e9,
                                                        report.getProgress()));
                                    }
                                    return report;
                                },
                                YarnApplicationStates::isFinal);
        assertThat(r.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(r.getProgress()).isEqualTo(1.0f);
        System.out.printf("YarnNativeIT: RM progress while RUNNING: %s%n", samples);
        assertThat(seen).as("progress never moves backwards: %s", samples).isSorted();
        assertThat(seen.stream().filter(p -> p > 0 && p < 1).distinct())
                .as("progress strictly between 0 and 1, moving while running: %s", samples)
                .hasSizeGreaterThanOrEqualTo(2);
    }

    /**
     * Also what flink-driver status and list show of the application while it runs and once YARN
     * killed it (the ACL settings change neither).
     */
    @Test
    void aclsDecideWhoMayViewAndKill() throws Exception {
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-Dyarn.view.acls=viewer",
                        "-Dyarn.modify.acls=operator",
                        TestJars.jarOf(SlowJobApp.class).toString(),
                        "wait",
                        "120");
        String rest = TestYarn.get().awaitRunning(id).getOriginalTrackingUrl();
        DriverResourcesIT.awaitJob(rest, ": slow-job", "RUNNING");
        assertStatusAndListWhileRunning(id.toString());

        ApplicationReport asStranger = as("stranger", y -> y.getApplicationReport(id));
        assertThat(asStranger.getDiagnostics()).isEqualTo("N/A");
        assertThat(asStranger.getTrackingUrl()).isEqualTo("N/A");
        ApplicationReport asViewer = as("viewer", y -> y.getApplicationReport(id));
        assertThat(asViewer.getTrackingUrl()).contains("/proxy/" + id);

        assertThatThrownBy(() -> as("viewer", y -> kill(y, id)))
                .hasMessageContaining("viewer")
                .hasMessageContaining("MODIFY_APP");
        assertThat(TestYarn.get().yarnClient().getApplicationReport(id).getYarnApplicationState())
                .isEqualTo(YarnApplicationState.RUNNING);

        as("operator", y -> kill(y, id));
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getYarnApplicationState()).isEqualTo(YarnApplicationState.KILLED);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);
        FlinkDriverCommand.Result live = FlinkDriverCommand.run("list");
        assertThat(live.exitCode()).as(live.stderr()).isZero();
        assertThat(live.stdout()).doesNotContain(id.toString());
        assertThat(FlinkDriverCommand.run("list", "--all").stdout()).contains(id.toString());
        assertThat(FlinkDriverCommand.run("status", id.toString()).stdout())
                .contains("Final status: KILLED");
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofSeconds(60));
    }

    private static void assertStatusAndListWhileRunning(String id) throws Exception {
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
    }

    private static Void kill(YarnClient yarn, ApplicationId id) throws Exception {
        yarn.killApplication(id);
        return null;
    }

    /** Runs a YARN client call as another (simple-auth) user. */
    private static <T> T as(String user, YarnCall<T> call) throws Exception {
        UserGroupInformation ugi = UserGroupInformation.createRemoteUser(user);
        try {
            return doAs(ugi, call);
        } catch (UndeclaredThrowableException e) {
            throw (Exception) e.getCause(); // doAs wraps what YARN refused
        }
    }

    private static <T> T doAs(UserGroupInformation ugi, YarnCall<T> call) throws Exception {
        return ugi.doAs(
                (PrivilegedExceptionAction<T>)
                        () -> {
                            try (YarnClient yarn = YarnClient.createYarnClient()) {
                                yarn.init(TestYarn.get().yarnConfiguration());
                                yarn.start();
                                return call.apply(yarn);
                            }
                        });
    }

    private interface YarnCall<T> {
        T apply(YarnClient yarn) throws Exception;
    }
}
