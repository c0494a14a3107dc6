package dev.flinkdriver.client;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.util.Records;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobManagerAttemptsTest {

    private static final String LOST =
            "Application application_1_0001 failed 1 times due to AM Container for"
                    + " appattempt_1_0001_000001 exited with exitCode: 137";

    @Test
    void aLostJobManagerOnTheOnlyAttemptNamesTheHaSettings() {
        ApplicationReport report = report(YarnApplicationState.FAILED, 1, LOST);
        assertThat(JobManagerAttempts.describeAttempt(report)).isEqualTo("1");
        assertThat(JobManagerAttempts.explainLoss(report))
                .hasValueSatisfying(
                        e ->
                                assertThat(e)
                                        .contains("JobManager container")
                                        .contains("high-availability.type: zookeeper")
                                        .contains("yarn.application-attempts >= 2"));
    }

    @Test
    void aLostJobManagerOnTheLastOfSeveralAttemptsSaysTheyAreSpent() {
        ApplicationReport report = report(YarnApplicationState.FAILED, 2, LOST);
        assertThat(JobManagerAttempts.describeAttempt(report))
                .isEqualTo("2 (JobManager lost 1 time)");
        assertThat(JobManagerAttempts.explainLoss(report))
                .hasValueSatisfying(e -> assertThat(e).contains("the attempts are spent"));
    }

    @Test
    void anApplicationThatEndedThroughItsJobManagerNeedsNoExplanation() {
        assertThat(
                        JobManagerAttempts.explainLoss(
                                report(
                                        YarnApplicationState.FINISHED,
                                        2,
                                        "flink-driver: application FAILED: ...")))
                .isEmpty();
        assertThat(JobManagerAttempts.explainLoss(report(YarnApplicationState.RUNNING, 1, "")))
                .isEmpty();
    }

    private static ApplicationReport report(
            YarnApplicationState state, int attempt, String diagnostics) {
        ApplicationReport report = Records.newRecord(ApplicationReport.class);
        ApplicationId app = ApplicationId.newInstance(1, 1);
        report.setApplicationId(app);
        report.setCurrentApplicationAttemptId(ApplicationAttemptId.newInstance(app, attempt));
        report.setYarnApplicationState(state);
        report.setFinalApplicationStatus(
                state == YarnApplicationState.FAILED
                        ? FinalApplicationStatus.FAILED
                        : FinalApplicationStatus.UNDEFINED);
        report.setDiagnostics(diagnostics);
        return report;
    }
}
