package dev.flinkdriver.entrypoint;

import dev.flinkdriver.entrypoint.JobManagerAttemptBudget.LostAttempt;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.yarn.api.records.ContainerExitStatus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobManagerAttemptBudgetTest {

    private static final String KILLED =
            "AM Container for appattempt_1_0001_000001 exited with  exitCode: 137\n"
                    + "Failing this attempt.Diagnostics: Container killed on request.\n";

    @Test
    void withoutHaTheSecondAttemptClosesAndNamesTheHaSettings() {
        JobManagerAttemptBudget budget = JobManagerAttemptBudget.of(new Configuration());
        assertThat(budget.attempts()).isEqualTo(1);
        assertThat(budget.closingDiagnostics(1, List.of())).isEmpty();
        assertThat(budget.closingDiagnostics(2, List.of(new LostAttempt(1, 1000, KILLED))))
                .hasValue(
                        "flink-driver: application FAILED: The JobManager (YARN attempt 1 of 1)"
                                + " was lost: AM Container for appattempt_1_0001_000001 exited"
                                + " with exitCode: 137. Without high availability the"
                                + " application cannot recover its jobs; set"
                                + " high-availability.type: zookeeper,"
                                + " high-availability.zookeeper.quorum and"
                                + " yarn.application-attempts: 2 to survive it.");
    }

    @Test
    void withoutHaAndWithoutYarnsReportsEveryEarlierAttemptCounts() {
        assertThat(JobManagerAttemptBudget.of(new Configuration()).closingDiagnostics(2, null))
                .hasValueSatisfying(d -> assertThat(d).contains("was lost. Without high"));
    }

    @Test
    void aPreemptedJobManagerIsNotCountedAsYarnDoesNot() {
        JobManagerAttemptBudget budget = JobManagerAttemptBudget.of(new Configuration());
        String preempted =
                "AM Container for appattempt_1_0001_000001 exited with exitCode: "
                        + ContainerExitStatus.PREEMPTED;
        assertThat(budget.closingDiagnostics(2, List.of(new LostAttempt(1, 1000, preempted))))
                .isEmpty();
    }

    @Test
    void withHaTheAttemptAfterTheLastCountedLossCloses() {
        JobManagerAttemptBudget budget = JobManagerAttemptBudget.of(ha(2, 3_600_000));
        assertThat(budget.closingDiagnostics(2, List.of(new LostAttempt(1, 1000, KILLED))))
                .isEmpty();
        assertThat(
                        budget.closingDiagnostics(
                                3,
                                List.of(
                                        new LostAttempt(1, 1000, KILLED),
                                        new LostAttempt(2, 200_000, KILLED))))
                .hasValueSatisfying(
                        d ->
                                assertThat(d)
                                        .startsWith("flink-driver: application FAILED:")
                                        .contains("was lost 2 times within 3600000 ms")
                                        .contains("the last time on YARN attempt 2")
                                        .contains("The attempts are spent")
                                        .contains("yarn.application-attempts: 2"));
    }

    @Test
    void withHaLossesOutsideTheValidityIntervalLeaveAttempts() {
        // Flink's default interval, 10 s: losses minutes apart never spend the attempts.
        JobManagerAttemptBudget budget = JobManagerAttemptBudget.of(ha(2, 10_000));
        List<LostAttempt> apart =
                List.of(new LostAttempt(1, 1000, KILLED), new LostAttempt(2, 200_000, KILLED));
        assertThat(budget.countedLosses(3, apart)).isEqualTo(1);
        assertThat(budget.closingDiagnostics(3, apart)).isEmpty();
        assertThat(budget.closingDiagnostics(3, null))
                .as("without YARN's reports an interval makes the count unknowable: recover")
                .isEmpty();
        assertThat(
                        budget.closingDiagnostics(
                                3,
                                List.of(
                                        new LostAttempt(1, 195_000, KILLED),
                                        new LostAttempt(2, 200_000, KILLED))))
                .isPresent();
    }

    @Test
    void withHaTheDefaultIsTwoAttempts() {
        Configuration conf = ha(2, 0);
        conf.removeConfig(YarnConfigOptions.APPLICATION_ATTEMPTS);
        assertThat(JobManagerAttemptBudget.of(conf).attempts()).isEqualTo(2);
    }

    private static Configuration ha(int attempts, long interval) {
        Configuration conf = new Configuration();
        conf.set(HighAvailabilityOptions.HA_MODE, "zookeeper");
        conf.set(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM, "localhost:2181");
        conf.set(YarnConfigOptions.APPLICATION_ATTEMPTS, attempts);
        conf.set(YarnConfigOptions.APPLICATION_ATTEMPT_FAILURE_VALIDITY_INTERVAL, interval);
        return conf;
    }
}
