package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.Utils;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code flink-driver status <applicationId> [--wait]}: what YARN knows of a driver application
 * and, while it runs, its jobs as Flink's REST API reports them. {@code --wait} blocks until YARN
 * records a final state and exits 0 only for SUCCEEDED.
 */
final class StatusCommand {

    private static final EnumSet<YarnApplicationState> TERMINAL =
            EnumSet.of(
                    YarnApplicationState.FINISHED,
                    YarnApplicationState.FAILED,
                    YarnApplicationState.KILLED);

    private final Configuration flinkConfig;
    private final PrintStream out;

    StatusCommand(Configuration flinkConfig, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean wait = a.contains("--wait");
        List<String> ids = a.stream().filter(s -> !s.startsWith("--")).toList();
        if (ids.size() != 1) {
            throw CliException.usage("Usage: flink-driver status <applicationId> [--wait]");
        }
        ApplicationId id;
        try {
            id = ApplicationId.fromString(ids.get(0));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("Not a YARN application id: " + ids.get(0));
        }
        try (YarnClient yarn = yarnClient()) {
            ApplicationReport report = report(yarn, id);
            if (wait) {
                while (!TERMINAL.contains(report.getYarnApplicationState())) {
                    Thread.sleep(Duration.ofSeconds(1).toMillis());
                    report = report(yarn, id);
                }
            }
            print(report);
            if (wait) {
                return report.getFinalApplicationStatus().name().equals("SUCCEEDED")
                        ? 0
                        : CliException.FAILURE;
            }
            return 0;
        }
    }

    private void print(ApplicationReport r) {
        out.printf("Application:  %s (%s)%n", r.getApplicationId(), r.getName());
        out.printf("State:        %s%n", r.getYarnApplicationState());
        out.printf("Final status: %s%n", r.getFinalApplicationStatus());
        out.printf("Queue:        %s%n", r.getQueue());
        out.printf("Progress:     %.0f%%%n", r.getProgress() * 100);
        out.printf("Tracking URL: %s%n", r.getTrackingUrl());
        String diagnostics = r.getDiagnostics();
        out.printf(
                "Diagnostics:  %s%n",
                diagnostics == null || diagnostics.isBlank() ? "-" : diagnostics.strip());
    }

    private static ApplicationReport report(YarnClient yarn, ApplicationId id) throws Exception {
        try {
            return yarn.getApplicationReport(id);
        } catch (ApplicationNotFoundException e) {
            throw CliException.usage("YARN knows no application " + id);
        }
    }

    private YarnClient yarnClient() {
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(Utils.getYarnAndHadoopConfiguration(flinkConfig));
        yarn.start();
        return yarn;
    }
}
