package dev.flinkdriver.client;

import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory.RootExceptionInfo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverAttemptTest {

    private static final RootExceptionInfo LOST_LATER =
            entry("java.lang.Exception: Container container_1_0002_01_000004 marked as failed.");
    private static final RootExceptionInfo LOST_FIRST =
            entry("java.lang.Exception: Container container_1_0002_01_000003 marked as failed.");
    private static final RootExceptionInfo MAIN_THREW =
            entry("org.apache.flink.runtime.execution.SuppressRestartsException: boom");

    @Test
    void aDriverWithoutRestartsIsOnItsFirstAttempt() {
        assertThat(DriverAttempt.fromHistory(List.of(), false))
                .isEqualTo(new DriverAttempt(1, null));
        assertThat(DriverAttempt.fromHistory(List.of(MAIN_THREW), true))
                .as("the failure that ended the driver restarted nothing")
                .isEqualTo(new DriverAttempt(1, null));
    }

    @Test
    void eachRestartIsOneEntryAndTheNewestTellsWhy() {
        assertThat(DriverAttempt.fromHistory(List.of(LOST_LATER, LOST_FIRST), false))
                .isEqualTo(
                        new DriverAttempt(
                                3,
                                "java.lang.Exception: Container container_1_0002_01_000004"
                                        + " marked as failed."));
        assertThat(DriverAttempt.fromHistory(List.of(MAIN_THREW, LOST_FIRST), true))
                .isEqualTo(
                        new DriverAttempt(
                                2,
                                "java.lang.Exception: Container container_1_0002_01_000003"
                                        + " marked as failed."));
    }

    private static RootExceptionInfo entry(String firstLine) {
        return new RootExceptionInfo(
                firstLine.substring(0, firstLine.indexOf(':')),
                firstLine + "\n\tat somewhere(Somewhere.java:1)",
                0L,
                Map.of(),
                List.of());
    }
}
