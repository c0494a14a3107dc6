package dev.flinkdriver.client;

import dev.flinkdriver.entrypoint.DriverApplicationIds;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.cli.ClientOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.util.RestClientException;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.TimeUtils;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

import org.apache.commons.cli.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code flink-driver savepoint <applicationId> [<dir>]} and {@code flink-driver stop
 * <applicationId> [--savepoint-dir <dir>] [--drain]}: an application savepoint of every running job
 * of a driver application ({@link ApplicationSavepoint}); {@code stop} then ends the application.
 *
 * <p>Both are Flink's own REST savepoint operations on the driver job: its JobManager's
 * DriverDispatcher answers them for the whole application (it takes every job's savepoint and
 * writes the manifest), and Flink's REST API keeps the operation's result for the client to poll.
 * The client waits for the savepoint at most {@code client.timeout}, as Flink's {@code flink
 * savepoint} does; {@code stop} then waits until YARN records the application's end.
 */
final class ApplicationSavepointCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationSavepointCommand.class);

    static final Option SAVEPOINT_DIR =
            Option.builder("p")
                    .longOpt("savepoint-dir")
                    .hasArg()
                    .argName("dir")
                    .desc("Directory to write the application savepoint into.")
                    .build();

    static final Option DRAIN =
            Option.builder("d")
                    .longOpt("drain")
                    .desc("Drain the sources (MAX_WATERMARK) before the savepoints.")
                    .build();

    private static final Duration END_TIMEOUT = Duration.ofMinutes(3);

    private final Configuration flinkConfig;
    private final PrintStream out;
    private final boolean stop;

    /** {@code stop}: stop the application with the savepoint; else the application runs on. */
    ApplicationSavepointCommand(Configuration flinkConfig, PrintStream out, boolean stop) {
        this.flinkConfig = flinkConfig;
        this.out = out;
        this.stop = stop;
    }

    /**
     * Whether these arguments of {@code savepoint} or {@code stop} name a YARN application (ours),
     * not a Flink job id (Flink's own command). {@code -yid <applicationId>} is Flink's way of
     * naming the cluster of a job.
     */
    static boolean isApplicationCommand(String[] params) {
        for (int i = 0; i < params.length; i++) {
            boolean yid = i > 0 && params[i - 1].equals("-yid");
            if (params[i].startsWith("application_") && !yid) {
                return true;
            }
        }
        return false;
    }

    int run(String[] args) throws Exception {
        CommandArgs a =
                stop ? CommandArgs.parse(args, SAVEPOINT_DIR, DRAIN) : CommandArgs.parse(args);
        List<String> positional = a.positional();
        if (stop ? positional.size() != 1 : positional.isEmpty() || positional.size() > 2) {
            throw CliException.usage(
                    stop
                            ? "Usage: flink-driver stop <applicationId> [--savepoint-dir <dir>]"
                                    + " [--drain]"
                            : "Usage: flink-driver savepoint <applicationId> [<dir>]");
        }
        ApplicationId id = YarnClients.parseId(positional.get(0));
        String dir =
                stop
                        ? a.commandLine().getOptionValue(SAVEPOINT_DIR.getLongOpt())
                        : positional.size() == 2 ? positional.get(1) : null;
        if (dir == null) {
            // The cluster's own default applies where the client's configuration has none.
            dir = flinkConfig.get(CheckpointingOptions.SAVEPOINT_DIRECTORY);
        }
        Duration timeout = flinkConfig.get(ClientOptions.CLIENT_TIMEOUT);
        try (YarnClient yarn = YarnClients.start(flinkConfig)) {
            ApplicationReport report = requireRunningDriverApplication(yarn, id);
            String location;
            try (DriverClusterRest rest = DriverClusterRest.of(flinkConfig, report)) {
                location = savepoint(rest, DriverApplicationIds.driverJobOf(id), dir, timeout, a);
            }
            out.println("Application savepoint completed. Path: " + location);
            if (!stop) {
                return 0;
            }
            report = CancelCommand.awaitEnd(yarn, id, END_TIMEOUT);
            out.printf(
                    "%s: %s %s%n",
                    id, report.getYarnApplicationState(), report.getFinalApplicationStatus());
            return report.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED
                    ? 0
                    : CliException.FAILURE;
        }
    }

    private ApplicationReport requireRunningDriverApplication(YarnClient yarn, ApplicationId id)
            throws Exception {
        ApplicationReport report = YarnClients.report(yarn, id);
        if (YarnApplicationStates.isFinal(report)) {
            throw CliException.usage(
                    id
                            + " has already ended: "
                            + report.getYarnApplicationState()
                            + " "
                            + report.getFinalApplicationStatus());
        }
        if (!report.getApplicationTags().contains(DriverRunCommand.TAG)) {
            throw CliException.usage(
                    id
                            + " is not a driver application (it has no tag "
                            + DriverRunCommand.TAG
                            + "); for one job of a Flink cluster on YARN use flink-driver "
                            + (stop ? "stop" : "savepoint")
                            + " -yid "
                            + id
                            + " <jobId>");
        }
        if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
            throw CliException.usage(
                    id
                            + " is "
                            + report.getYarnApplicationState()
                            + ": its JobManager does not run yet, and no job has state to save");
        }
        return report;
    }

    /** The message of what the JobManager threw, without the futures' wrappers around it. */
    static String message(SerializedThrowable failure) {
        Throwable original =
                ExceptionUtils.stripCompletionException(
                        failure.deserializeError(
                                ApplicationSavepointCommand.class.getClassLoader()));
        String message = original.getMessage();
        return message == null ? original.getClass().getName() : message;
    }

    private String savepoint(
            DriverClusterRest rest,
            JobID driverJob,
            @Nullable String dir,
            Duration timeout,
            CommandArgs a)
            throws Exception {
        TriggerId trigger;
        try {
            trigger = rest.triggerSavepoint(driverJob, dir, stop, a.has(DRAIN));
        } catch (Exception e) {
            Optional<RestClientException> refused =
                    ExceptionUtils.findThrowable(e, RestClientException.class);
            if (refused.isPresent()
                    && dir == null
                    && String.valueOf(refused.get().getMessage())
                            .contains(CheckpointingOptions.SAVEPOINT_DIRECTORY.key())) {
                throw CliException.usage(
                        "No savepoint directory: give one ("
                                + (stop
                                        ? "flink-driver stop <applicationId> --savepoint-dir <dir>"
                                        : "flink-driver savepoint <applicationId> <dir>")
                                + ") or set "
                                + CheckpointingOptions.SAVEPOINT_DIRECTORY.key());
            }
            throw e;
        }
        LOG.info("Triggered the application savepoint {} of driver job {}", trigger, driverJob);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (true) {
            Optional<SavepointInfo> info = rest.savepointStatus(driverJob, trigger);
            if (info.isPresent()) {
                SerializedThrowable failure = info.get().getFailureCause();
                if (failure != null) {
                    throw new CliException(
                            CliException.FAILURE,
                            "The application savepoint failed: " + message(failure));
                }
                return info.get().getLocation();
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(
                        CliException.FAILURE,
                        "The application savepoint did not complete within "
                                + TimeUtils.formatWithHighestUnit(timeout)
                                + " ("
                                + ClientOptions.CLIENT_TIMEOUT.key()
                                + "); it goes on in the cluster");
            }
            Thread.sleep(pause);
            pause = Math.min(500, pause * 2);
        }
    }
}
