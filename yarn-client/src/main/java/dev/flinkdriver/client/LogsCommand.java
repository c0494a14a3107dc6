package dev.flinkdriver.client;

import dev.flinkdriver.entrypoint.DriverApplicationIds;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.LogAggregationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.apache.commons.cli.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code flink-driver logs <applicationId> [--driver | --jobmanager | --all] [--stderr]}: what
 * main() printed (the driver TaskManager's {@code taskmanager.out}, and {@code taskmanager.err}
 * with {@code --stderr}), or the JobManager's log, while the application runs and after its end,
 * from YARN's own log machinery ({@link ContainerLogs}).
 *
 * <p>The driver's containers are the TaskManagers that ran the driver job's task, one per driver
 * attempt ({@link DriverContainers}): on YARN a TaskManager's resource id is its container id,
 * which Flink's REST API (and, after the end, the job's archive) names for each task attempt. After
 * a driver restart each attempt's output is shown, oldest first, under a line naming the attempt.
 * The JobManager's is the current YARN attempt's ApplicationMaster container.
 */
final class LogsCommand {

    private static final Logger LOG = LoggerFactory.getLogger(LogsCommand.class);

    /** How long {@code logs} waits for a file YARN is uploading when the application ended. */
    private static final Duration LOGS_IN_TRANSIT_WAIT = Duration.ofSeconds(30);

    static final Option DRIVER =
            Option.builder().longOpt("driver").desc("main()'s stdout (the default).").build();
    static final Option JOBMANAGER =
            Option.builder().longOpt("jobmanager").desc("The JobManager's log.").build();
    static final Option ALL =
            Option.builder()
                    .longOpt("all")
                    .desc("main()'s stdout and stderr, and the JobManager's log.")
                    .build();
    static final Option STDERR =
            Option.builder().longOpt("stderr").desc("stderr as well as stdout.").build();

    private static final String USAGE =
            "Usage: flink-driver logs <applicationId> [--driver | --jobmanager | --all] [--stderr]";

    /** One file of one container; {@code label} names the driver attempts that wrote it. */
    private record LogFile(ContainerId container, String name, @Nullable String label) {

        LogFile(ContainerId container, String name) {
            this(container, name, null);
        }

        String header() {
            return (label == null ? "" : label + ": ") + container + " " + name;
        }
    }

    private final Configuration flinkConfig;
    private final PrintStream out;

    LogsCommand(Configuration flinkConfig, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        CommandArgs a = CommandArgs.parse(args, DRIVER, JOBMANAGER, ALL, STDERR);
        if (a.positional().size() != 1) {
            throw CliException.usage(USAGE);
        }
        int which = (a.has(DRIVER) ? 1 : 0) + (a.has(JOBMANAGER) ? 1 : 0) + (a.has(ALL) ? 1 : 0);
        if (which > 1) {
            throw CliException.usage("--driver, --jobmanager and --all exclude each other");
        }
        ApplicationId id = YarnClients.parseId(a.positional().get(0));
        YarnConfiguration yarnConfiguration = YarnClients.configuration(flinkConfig);
        try (YarnClient yarn = YarnClients.start(yarnConfiguration)) {
            ApplicationReport report = YarnClients.report(yarn, id);
            // YARN's NodeManagers refuse him too (and the cluster file system, for the aggregated
            // logs); said here in one line, before any of them answers with a stack trace.
            if (YarnAccess.detailsHidden(report)) {
                throw YarnAccess.viewRefused(report);
            }
            if (!report.getApplicationTags().contains(DriverRunCommand.TAG)) {
                throw CliException.usage(
                        id
                                + " is not a driver application (it has no tag "
                                + DriverRunCommand.TAG
                                + "); yarn logs -applicationId "
                                + id
                                + " shows its logs");
            }
            boolean driver = !a.has(JOBMANAGER);
            boolean jobManager = a.has(JOBMANAGER) || a.has(ALL);
            boolean stderr = a.has(STDERR) || a.has(ALL);
            List<LogFile> files = new ArrayList<>();
            if (driver) {
                List<DriverContainers.Container> containers = driverContainers(report);
                for (DriverContainers.Container container : containers) {
                    // After a driver restart each attempt's output is marked with its attempt.
                    String label = containers.size() > 1 ? container.label() : null;
                    files.add(new LogFile(container.id(), "taskmanager.out", label));
                    if (stderr) {
                        files.add(new LogFile(container.id(), "taskmanager.err", label));
                    }
                }
            }
            if (jobManager) {
                ContainerId container = jobManagerContainer(yarn, report);
                files.add(new LogFile(container, "jobmanager.log"));
                if (stderr && !a.has(ALL)) {
                    files.add(new LogFile(container, "jobmanager.err"));
                }
            }
            ContainerLogs logs = new ContainerLogs(yarnConfiguration, yarn);
            for (LogFile file : files) {
                Optional<byte[]> content = read(logs, yarn, report, file);
                if (content.isEmpty() && file.label() == null) {
                    throw noLongerThere(report, file);
                }
                if (files.size() > 1) {
                    out.printf("==> %s <==%n", file.header());
                }
                if (content.isPresent()) {
                    out.write(content.get());
                } else {
                    // An earlier driver attempt's container: the others may still be there.
                    out.println(noLongerThere(report, file).getMessage());
                }
                out.flush();
            }
            return 0;
        }
    }

    /**
     * The file, waiting while the application's logs are in transit: between an application's end
     * and the NodeManagers' upload, a finished container's files are neither on a NodeManager's web
     * service nor aggregated yet, so {@code logs} right after the end would miss them.
     */
    private static Optional<byte[]> read(
            ContainerLogs logs, YarnClient yarn, ApplicationReport report, LogFile file)
            throws Exception {
        long deadline = System.nanoTime() + LOGS_IN_TRANSIT_WAIT.toNanos();
        ApplicationReport current = report;
        while (true) {
            Optional<byte[]> content = logs.read(current, file.container(), file.name());
            if (content.isPresent() || !inTransit(current) || System.nanoTime() > deadline) {
                return content;
            }
            Thread.sleep(1000);
            current = yarn.getApplicationReport(current.getApplicationId());
        }
    }

    private static boolean inTransit(ApplicationReport report) {
        LogAggregationStatus status = report.getLogAggregationStatus();
        return YarnApplicationStates.isFinal(report)
                && (status == LogAggregationStatus.NOT_START
                        || status == LogAggregationStatus.RUNNING);
    }

    private static CliException noLongerThere(ApplicationReport report, LogFile file) {
        return CliException.usage(
                "YARN no longer has "
                        + file.name()
                        + " of container "
                        + file.container()
                        + " of "
                        + report.getApplicationId()
                        + " (log aggregation: "
                        + report.getLogAggregationStatus()
                        + "; neither aggregated nor on a NodeManager)");
    }

    /** The ApplicationMaster's container of the application's current (last) attempt. */
    private static ContainerId jobManagerContainer(YarnClient yarn, ApplicationReport report)
            throws CliException {
        if (report.getCurrentApplicationAttemptId() == null) {
            throw CliException.usage(
                    report.getApplicationId() + " has no JobManager yet (YARN has not started it)");
        }
        try {
            ContainerId am =
                    yarn.getApplicationAttemptReport(report.getCurrentApplicationAttemptId())
                            .getAMContainerId();
            if (am != null) {
                return am;
            }
        } catch (Exception e) {
            LOG.debug("No attempt report of {}", report.getApplicationId(), e);
        }
        // YARN gives each attempt's ApplicationMaster the attempt's first container.
        return ContainerId.newContainerId(report.getCurrentApplicationAttemptId(), 1);
    }

    /**
     * The containers of the TaskManagers that ran the driver job's task, one per driver attempt,
     * oldest first: from the running JobManager, or from the archive after the end.
     */
    private List<DriverContainers.Container> driverContainers(ApplicationReport report)
            throws Exception {
        JobID driverJob = DriverApplicationIds.driverJobOf(report.getApplicationId());
        List<DriverContainers.Container> containers = List.of();
        Optional<JsonNode> taskManagers = Optional.empty();
        if (report.getYarnApplicationState() == YarnApplicationState.RUNNING) {
            try (DriverClusterRest rest = DriverClusterRest.of(flinkConfig, report)) {
                containers = DriverContainers.of(rest.taskAttempts(driverJob));
                if (containers.isEmpty()) {
                    taskManagers = rest.taskManagers(driverJob);
                }
            } catch (Exception e) {
                LOG.debug("No driver task from the REST API of {}", report.getApplicationId(), e);
            }
        } else if (YarnApplicationStates.isFinal(report)) {
            List<String> dirs =
                    HistoryDefaults.archiveDirs(
                            flinkConfig, YarnClients.configuration(flinkConfig));
            Optional<DriverArchive> archive = DriverArchive.find(dirs, report.getApplicationId());
            if (archive.isPresent()) {
                containers = DriverContainers.of(archive.get().taskAttempts(driverJob));
                if (containers.isEmpty()) {
                    taskManagers = archive.get().taskManagers(driverJob);
                }
            }
        }
        if (!containers.isEmpty()) {
            return containers;
        }
        Optional<ContainerId> container = taskManagers.flatMap(LogsCommand::lastContainer);
        if (container.isEmpty()) {
            throw new CliException(
                    CliException.FAILURE,
                    "No driver container is known for "
                            + report.getApplicationId()
                            + " ("
                            + report.getYarnApplicationState()
                            + "): the driver's task has not been deployed yet, or its job's"
                            + " archive is missing; --jobmanager shows the JobManager's log");
        }
        return List.of(new DriverContainers.Container(container.get(), List.of(1)));
    }

    /** The TaskManager of the driver's latest task attempt, as a YARN container id. */
    static Optional<ContainerId> lastContainer(JsonNode taskManagersInfo) {
        ContainerId last = null;
        long lastStart = Long.MIN_VALUE;
        for (JsonNode tm : taskManagersInfo.path("taskmanagers")) {
            String id = tm.path("taskmanager-id").asText("");
            try {
                ContainerId container = ContainerId.fromString(id);
                long start = tm.path("start-time").asLong(0);
                if (last == null || start >= lastStart) {
                    last = container;
                    lastStart = start;
                }
            } catch (IllegalArgumentException e) {
                LOG.debug("TaskManager {} is no YARN container", id);
            }
        }
        return Optional.ofNullable(last);
    }
}
