package dev.flinkdriver.client;

import org.apache.flink.util.SerializedThrowable;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationSavepointCommandTest {

    @Test
    void aYarnApplicationIdIsDriverModesAndAFlinkJobIdFlinks() {
        assertThat(
                        ApplicationSavepointCommand.isApplicationCommand(
                                new String[] {"application_1_1", "/sp"}))
                .isTrue();
        assertThat(
                        ApplicationSavepointCommand.isApplicationCommand(
                                new String[] {"--savepoint-dir", "/sp", "application_1_1"}))
                .isTrue();
        assertThat(
                        ApplicationSavepointCommand.isApplicationCommand(
                                new String[] {"a0c1f2c3d4e5f60718293a4b5c6d7e8f", "/sp"}))
                .as("Flink's savepoint of one job")
                .isFalse();
        assertThat(
                        ApplicationSavepointCommand.isApplicationCommand(
                                new String[] {
                                    "-yid",
                                    "application_1_1",
                                    "-p",
                                    "/sp",
                                    "a0c1f2c3d4e5f60718293a4b5c6d7e8f"
                                }))
                .as("Flink's stop of one job of a YARN cluster")
                .isFalse();
    }

    @Test
    void aFailureIsReportedWithoutTheFuturesWrappers() {
        SerializedThrowable failure =
                new SerializedThrowable(
                        new CompletionException(
                                new IllegalStateException(
                                        "Job #1 'load' is RESTARTING, not RUNNING")));

        assertThat(ApplicationSavepointCommand.message(failure))
                .isEqualTo("Job #1 'load' is RESTARTING, not RUNNING");
    }
}
