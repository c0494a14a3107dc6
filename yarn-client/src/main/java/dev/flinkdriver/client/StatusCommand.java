package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code flink-driver status <applicationId> [--wait] [--output json]}: what YARN knows of a driver
 * application and, while it runs, its jobs as Flink's REST API reports them. {@code --wait} blocks
 * until YARN records a final state and exits 0 only for SUCCEEDED.
 */
final class StatusCommand {

    static final EnumSet<YarnApplicationState> TERMINAL =
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
        CommandArgs a = CommandArgs.parse(args, List.of("--wait"), List.of("--output"));
        if (a.positional().size() != 1) {
            throw CliException.usage(
                    "Usage: flink-driver status <applicationId> [--wait] [--output json]");
        }
        boolean json = a.json();
        ApplicationId id = YarnClients.parseId(a.positional().get(0));
        try (YarnClient yarn = YarnClients.start(flinkConfig)) {
            ApplicationReport report = YarnClients.report(yarn, id);
            if (a.has("--wait")) {
                while (!TERMINAL.contains(report.getYarnApplicationState())) {
                    Thread.sleep(Duration.ofSeconds(1).toMillis());
                    report = YarnClients.report(yarn, id);
                }
            }
            List<DriverJobsView.Job> jobs = jobs(report);
            if (json) {
                out.println(toJson(report, jobs));
            } else {
                print(report, jobs);
            }
            boolean failedWait =
                    a.has("--wait")
                            && report.getFinalApplicationStatus()
                                    != FinalApplicationStatus.SUCCEEDED;
            return failedWait ? CliException.FAILURE : 0;
        }
    }

    /** Jobs are known while the application's Flink REST API runs; afterwards YARN's summary. */
    private static List<DriverJobsView.Job> jobs(ApplicationReport r) {
        if (r.getYarnApplicationState() != YarnApplicationState.RUNNING) {
            return List.of();
        }
        try {
            return DriverJobsView.fetch(r.getOriginalTrackingUrl(), r.getName());
        } catch (Exception e) {
            return List.of();
        }
    }

    private void print(ApplicationReport r, List<DriverJobsView.Job> jobs) {
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
        out.printf("Attempt:      %s%n", JobManagerAttempts.describeAttempt(r));
        JobManagerAttempts.explainLoss(r).ifPresent(e -> out.printf("JobManager:   %s%n", e));
        if (!jobs.isEmpty()) {
            out.printf(
                    "%nJobs:%n  %-10s %-8s %-20s %10s  %s%n",
                    "STATE", "PRIORITY", "START", "DURATION", "NAME");
            for (DriverJobsView.Job j : jobs) {
                out.printf(
                        "  %-10s %-8s %-20s %9ds  %s%n",
                        j.state(),
                        j.priority(),
                        Instant.ofEpochMilli(j.startMillis()).toString().substring(0, 19),
                        j.durationMillis() / 1000,
                        j.name());
            }
        }
    }

    static ObjectNode toJson(ApplicationReport r, List<DriverJobsView.Job> jobs) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("id", r.getApplicationId().toString());
        n.put("name", r.getName());
        n.put("state", r.getYarnApplicationState().name());
        n.put("finalStatus", r.getFinalApplicationStatus().name());
        n.put("queue", r.getQueue());
        n.put("progress", r.getProgress());
        n.put("trackingUrl", r.getTrackingUrl());
        n.put("diagnostics", r.getDiagnostics());
        n.put("attempt", JobManagerAttempts.attempt(r));
        JobManagerAttempts.explainLoss(r).ifPresent(e -> n.put("jobManagerLost", e));
        n.put("startTime", r.getStartTime());
        n.put("finishTime", r.getFinishTime());
        ArrayNode array = n.putArray("jobs");
        for (DriverJobsView.Job j : jobs) {
            ObjectNode jn = array.addObject();
            jn.put("id", j.id());
            jn.put("name", j.name());
            jn.put("state", j.state());
            jn.put("livingPriority", j.priority());
            jn.put("startTime", j.startMillis());
            jn.put("durationMs", j.durationMillis());
        }
        return n;
    }
}
