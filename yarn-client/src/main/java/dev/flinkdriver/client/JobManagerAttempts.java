package dev.flinkdriver.client;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import java.util.Optional;

/**
 * What {@code flink-driver status} says about the application's JobManager attempts. The JobManager
 * is YARN's ApplicationMaster: each JobManager failover is a new YARN attempt. When the last
 * attempt's ApplicationMaster dies, nobody is left to write flink-driver's diagnostics: the closing
 * attempt ({@link DriverHaOptions#CLOSING_ATTEMPT}) writes them where YARN leaves room for it.
 * Where it does not, YARN's own ("AM Container ... exited with exitCode: 137") say nothing about
 * high availability, and the client explains it from the report.
 */
final class JobManagerAttempts {

    /** YARN's diagnostics when an attempt's ApplicationMaster container ended on its own. */
    private static final String AM_CONTAINER_LOST = "AM Container for appattempt_";

    private JobManagerAttempts() {}

    /** The current YARN application attempt, 1 for the first JobManager. */
    static int attempt(ApplicationReport report) {
        ApplicationAttemptId attempt = report.getCurrentApplicationAttemptId();
        return attempt == null ? 1 : attempt.getAttemptId();
    }

    /** E.g. {@code 2 (the application survived 1 JobManager failover)}. */
    static String describeAttempt(ApplicationReport report) {
        int attempt = attempt(report);
        int failovers = attempt - 1;
        if (failovers == 0) {
            return "1";
        }
        return attempt
                + " (JobManager lost "
                + failovers
                + (failovers == 1 ? " time" : " times")
                + ")";
    }

    /**
     * Why the application failed when its JobManager container was lost on the last attempt; empty
     * for any other end.
     */
    static Optional<String> explainLoss(ApplicationReport report) {
        String diagnostics = report.getDiagnostics();
        if (report.getYarnApplicationState() != YarnApplicationState.FAILED
                || diagnostics == null
                || !diagnostics.contains(AM_CONTAINER_LOST)) {
            return Optional.empty();
        }
        int attempt = attempt(report);
        if (attempt == 1) {
            return Optional.of(
                    "the JobManager container (YARN's ApplicationMaster) was lost and the"
                            + " application had one YARN attempt, without high availability"
                            + " nothing takes over a lost JobManager: set"
                            + " high-availability.type: zookeeper,"
                            + " high-availability.zookeeper.quorum and"
                            + " yarn.application-attempts >= 2");
        }
        return Optional.of(
                "the JobManager container (YARN's ApplicationMaster) was lost on each of its "
                        + attempt
                        + " YARN attempts: the attempts are spent (yarn.application-attempts,"
                        + " capped by YARN's yarn.resourcemanager.am.max-attempts)");
    }
}
