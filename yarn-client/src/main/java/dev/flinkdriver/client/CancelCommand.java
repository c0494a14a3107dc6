package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code flink-driver cancel <applicationId>}: cancels the driver job through Flink's REST API; the
 * DriverDispatcher then cancels every job of the application and YARN records KILLED. Returns when
 * YARN has recorded the final state.
 */
final class CancelCommand {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final Configuration flinkConfig;
    private final PrintStream out;

    CancelCommand(Configuration flinkConfig, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        CommandArgs a = CommandArgs.parse(args, List.of(), List.of());
        if (a.positional().size() != 1) {
            throw CliException.usage("Usage: flink-driver cancel <applicationId>");
        }
        ApplicationId id = YarnClients.parseId(a.positional().get(0));
        try (YarnClient yarn = YarnClients.start(flinkConfig)) {
            ApplicationReport report = YarnClients.report(yarn, id);
            if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
                throw CliException.usage(
                        id + " is " + report.getYarnApplicationState() + ", not RUNNING");
            }
            String rest = report.getOriginalTrackingUrl();
            DriverJobsView.Job driver =
                    DriverJobsView.fetch(rest, report.getName()).stream()
                            .filter(j -> j.priority().equals("DRIVER"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new CliException(
                                                    CliException.FAILURE,
                                                    id
                                                            + " runs no driver job: not a driver application?"));
            cancelJob(rest, driver.id());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!StatusCommand.TERMINAL.contains(report.getYarnApplicationState())) {
                if (System.nanoTime() > deadline) {
                    throw new CliException(
                            CliException.FAILURE,
                            id + " did not end within " + TIMEOUT.toMinutes() + " minutes");
                }
                Thread.sleep(500);
                report = YarnClients.report(yarn, id);
            }
            out.printf(
                    "%s: %s %s%n",
                    id, report.getYarnApplicationState(), report.getFinalApplicationStatus());
            return 0;
        }
    }

    private static void cancelJob(String rest, String jobId) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        rest.replaceAll("/+$", "")
                                                                + "/jobs/"
                                                                + jobId
                                                                + "?mode=cancel"))
                                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new CliException(
                    CliException.FAILURE,
                    "Flink refused to cancel the driver job: " + r.statusCode() + " " + r.body());
        }
    }
}
