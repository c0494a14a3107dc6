package dev.flinkdriver.client;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code flink-driver cancel <applicationId>}, in every live state of a driver application. Once
 * its JobManager runs, the driver job is cancelled through Flink's REST API and the
 * DriverDispatcher cancels every other job and ends the application KILLED. Before that (YARN has
 * only accepted it, which is when {@code run} returns) nothing has run yet: the YARN application is
 * killed and its staging files removed; so too when the JobManager runs no driver job that could be
 * cancelled. Returns when YARN has recorded the end.
 */
final class CancelCommand {

    private static final Logger LOG = LoggerFactory.getLogger(CancelCommand.class);

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final Configuration flinkConfig;
    private final String confDir;
    private final Path workDir;
    private final PrintStream out;

    CancelCommand(Configuration flinkConfig, String confDir, Path workDir, PrintStream out) {
        this.flinkConfig = flinkConfig;
        this.confDir = confDir;
        this.workDir = workDir;
        this.out = out;
    }

    int run(String[] args) throws Exception {
        CommandArgs a = CommandArgs.parse(args);
        if (a.positional().size() != 1) {
            throw CliException.usage("Usage: flink-driver cancel <applicationId>");
        }
        ApplicationId id = YarnClients.parseId(a.positional().get(0));
        YarnConfiguration yarnConfiguration = YarnClients.configuration(flinkConfig);
        // The staging directory as run deployed with it, for the files of a killed application.
        Configuration deployed = new Configuration(flinkConfig);
        StagingDirectory.configure(
                deployed, yarnConfiguration, DriverRunCommand.libDir(confDir), workDir);
        try (YarnClient yarn = YarnClients.start(yarnConfiguration)) {
            ApplicationReport report = YarnClients.report(yarn, id);
            if (YarnApplicationStates.isFinal(report)) {
                throw CliException.usage(
                        id
                                + " has already ended: "
                                + report.getYarnApplicationState()
                                + " "
                                + report.getFinalApplicationStatus());
            }
            // Flink's REST API has no authentication: only the owner cancels through it; anyone
            // else asks YARN, which checks the application's modify ACL.
            boolean owner = YarnAccess.isOwner(report);
            if (report.getFinalApplicationStatus() == FinalApplicationStatus.UNDEFINED
                    && !(owner && cancelDriverJob(report))) {
                LOG.info(
                        "Killing YARN application {} in state {}",
                        id,
                        report.getYarnApplicationState());
                try {
                    yarn.killApplication(id);
                } catch (Exception e) {
                    CliException refused = YarnAccess.modifyRefused(report, e);
                    throw refused != null ? refused : e;
                }
                if (owner) {
                    StagingDirectory.delete(deployed, yarnConfiguration, id);
                }
            }
            report = awaitEnd(yarn, id, TIMEOUT);
            out.printf(
                    "%s: %s %s%n",
                    id, report.getYarnApplicationState(), report.getFinalApplicationStatus());
            return 0;
        }
    }

    /** Whether the running driver job was cancelled; false if there is none to cancel yet. */
    private boolean cancelDriverJob(ApplicationReport report) {
        if (report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
            return false;
        }
        try (DriverClusterRest rest = DriverClusterRest.of(flinkConfig, report)) {
            Optional<DriverJobsView.Job> driver =
                    DriverJobsView.of(report.getApplicationId(), rest.jobs()).stream()
                            .filter(DriverJobsView.Job::isDriver)
                            .filter(j -> !JobStatus.valueOf(j.state()).isGloballyTerminalState())
                            .findFirst();
            if (driver.isEmpty()) {
                return false;
            }
            rest.cancel(driver.get().id());
            return true;
        } catch (Exception e) {
            LOG.info("Cannot cancel the driver job of {}", report.getApplicationId(), e);
            return false;
        }
    }

    /** Polls YARN until it records the application's end, at most {@code timeout}. */
    static ApplicationReport awaitEnd(YarnClient yarn, ApplicationId id, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ApplicationReport report = YarnClients.report(yarn, id);
        while (!YarnApplicationStates.isFinal(report)) {
            if (System.nanoTime() > deadline) {
                throw new CliException(
                        CliException.FAILURE,
                        id + " did not end within " + timeout.toMinutes() + " minutes");
            }
            Thread.sleep(200);
            report = YarnClients.report(yarn, id);
        }
        return report;
    }
}
