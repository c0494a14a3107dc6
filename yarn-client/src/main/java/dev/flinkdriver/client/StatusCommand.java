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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code flink-driver status <applicationId> [--wait] [--output json]}: what YARN knows of a driver
 * application and its jobs: while it runs as Flink's REST API reports them, after the end as its
 * JobManager archived them for Flink's HistoryServer ({@code jobmanager.archive.fs.dir}). {@code
 * --wait} blocks until YARN records a final state and exits 0 only for SUCCEEDED.
 */
final class StatusCommand {

    private static final Logger LOG = LoggerFactory.getLogger(StatusCommand.class);

    private final Configuration flinkConfig;
    private final PrintStream out;

    StatusCommand(Configuration flinkConfig, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        CommandArgs a = CommandArgs.parse(args, CommandArgs.WAIT, CommandArgs.OUTPUT);
        if (a.positional().size() != 1) {
            throw CliException.usage(
                    "Usage: flink-driver status <applicationId> [--wait] [--output json]");
        }
        boolean json = a.json();
        ApplicationId id = YarnClients.parseId(a.positional().get(0));
        try (YarnClient yarn = YarnClients.start(flinkConfig)) {
            ApplicationReport report = YarnClients.report(yarn, id);
            if (a.has(CommandArgs.WAIT)) {
                while (!YarnApplicationStates.isFinal(report)) {
                    Thread.sleep(Duration.ofSeconds(1).toMillis());
                    report = YarnClients.report(yarn, id);
                }
            }
            boolean hidden = YarnAccess.detailsHidden(report);
            Live live = hidden ? Live.NONE : live(report);
            if (json) {
                out.println(toJson(report, live));
            } else {
                print(report, live);
            }
            if (hidden) {
                throw YarnAccess.viewRefused(report);
            }
            boolean failedWait =
                    a.has(CommandArgs.WAIT)
                            && report.getFinalApplicationStatus()
                                    != FinalApplicationStatus.SUCCEEDED;
            return failedWait ? CliException.FAILURE : 0;
        }
    }

    /**
     * What the running JobManager tells, or its archive after the end: the jobs, and which attempt
     * of the driver runs (or last ran) main().
     *
     * @param driver null when the driver job is not known (yet, or any more)
     * @param archive where the jobs were read after the end; null while running
     */
    record Live(
            List<DriverJobsView.Job> jobs,
            @Nullable DriverAttempt driver,
            @Nullable String archive) {
        static final Live NONE = new Live(List.of(), null, null);
    }

    /**
     * Jobs come from the application's Flink REST API while it runs, and from its archive once YARN
     * has recorded its end.
     */
    private Live live(ApplicationReport r) {
        if (YarnApplicationStates.isFinal(r)) {
            return archived(r);
        }
        if (r.getYarnApplicationState() != YarnApplicationState.RUNNING) {
            return Live.NONE;
        }
        try (DriverClusterRest rest = DriverClusterRest.of(flinkConfig, r)) {
            List<DriverJobsView.Job> jobs =
                    DriverJobsView.of(r.getApplicationId(), rest.jobs()).stream()
                            .map(
                                    j ->
                                            j.isDriver()
                                                    ? j
                                                    : j.withCheckpoints(rest.checkpoints(j.id())))
                            .toList();
            DriverAttempt attempt = null;
            for (DriverJobsView.Job job : jobs) {
                if (job.isDriver()) {
                    attempt = rest.driverAttempt(job.id(), job.state().equals("FAILED"));
                }
            }
            return new Live(jobs, attempt, null);
        } catch (Exception e) {
            LOG.debug("No jobs from the REST API of {}", r.getApplicationId(), e);
            return Live.NONE;
        }
    }

    private Live archived(ApplicationReport r) {
        List<String> dirs =
                HistoryDefaults.archiveDirs(flinkConfig, YarnClients.configuration(flinkConfig));
        try {
            Optional<DriverArchive> archive = DriverArchive.find(dirs, r.getApplicationId());
            if (archive.isEmpty()) {
                return new Live(
                        List.of(),
                        null,
                        dirs.isEmpty()
                                ? "none (jobmanager.archive.fs.dir is not set)"
                                : "none in " + String.join(", ", dirs));
            }
            List<DriverJobsView.Job> jobs = new ArrayList<>();
            for (DriverJobsView.Job job :
                    DriverJobsView.of(r.getApplicationId(), archive.get().jobs())) {
                jobs.add(
                        job.isDriver()
                                ? job
                                : job.withCheckpoints(archive.get().checkpoints(job.id())));
            }
            DriverAttempt attempt = null;
            for (DriverJobsView.Job job : jobs) {
                if (job.isDriver()) {
                    attempt =
                            archive.get()
                                    .driverAttempt(job.id(), job.state().equals("FAILED"))
                                    .orElse(null);
                }
            }
            String where = archive.get().dir().toString();
            return new Live(
                    jobs,
                    attempt,
                    archive.get().isComplete()
                            ? where
                            : where
                                    + " (incomplete: the JobManager ended before it archived"
                                    + " the application)");
        } catch (Exception e) {
            LOG.debug("Cannot read the archive of {}", r.getApplicationId(), e);
            return new Live(List.of(), null, "unreadable: " + e.getMessage());
        }
    }

    private void print(ApplicationReport r, Live live) {
        List<DriverJobsView.Job> jobs = live.jobs();
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
        // YARN reports no attempt to a user it hides the details from.
        if (JobManagerAttempts.attempt(r) > 0) {
            out.printf("Attempt:      %s%n", JobManagerAttempts.describeAttempt(r));
            JobManagerAttempts.explainLoss(r).ifPresent(e -> out.printf("JobManager:   %s%n", e));
        }
        DriverAttempt driver = live.driver();
        if (driver != null) {
            out.printf(
                    "Driver:       attempt %d%s%n",
                    driver.number(),
                    driver.lastRestartCause() == null
                            ? ""
                            : ", restarted after: " + driver.lastRestartCause());
        }
        if (live.archive() != null) {
            out.printf("Archive:      %s%n", live.archive());
        }
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
                if (j.restoredFrom() != null) {
                    out.printf("  %-52s restored from %s%n", "", j.restoredFrom());
                }
            }
        }
    }

    static ObjectNode toJson(ApplicationReport r, Live live) {
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
        if (live.driver() != null) {
            ObjectNode driver = n.putObject("driver");
            driver.put("attempt", live.driver().number());
            driver.put("lastRestartCause", live.driver().lastRestartCause());
        }
        ArrayNode array = n.putArray("jobs");
        for (DriverJobsView.Job j : live.jobs()) {
            ObjectNode jn = array.addObject();
            jn.put("id", j.id().toString());
            jn.put("name", j.name());
            jn.put("state", j.state());
            jn.put("livingPriority", j.priority().name());
            jn.put("startTime", j.startMillis());
            jn.put("durationMs", j.durationMillis());
            jn.put("restoredFrom", j.restoredFrom());
        }
        return n;
    }
}
