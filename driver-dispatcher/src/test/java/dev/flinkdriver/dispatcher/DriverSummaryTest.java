package dev.flinkdriver.dispatcher;

import org.apache.flink.runtime.JobException;
import org.apache.flink.util.SerializedThrowable;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class DriverSummaryTest {

    @Test
    void summarisesASuccess() {
        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.SUCCEEDED, new JobCounts(3, 0, 0), null, 0))
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 3 jobs finished, 0 failed,"
                                + " 0 cancelled, driver restarted 0 times");
        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.SUCCEEDED, new JobCounts(3, 0, 0), null, 1))
                .endsWith(", driver restarted 1 time");
    }

    @Test
    void summarisesACancellation() {
        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.CANCELED, new JobCounts(1, 0, 2), null, -1))
                .as("without a known restart count")
                .isEqualTo(
                        "flink-driver: application CANCELED: 1 jobs finished, 0 failed,"
                                + " 2 cancelled");
    }

    @Test
    void appendsTheRootCauseOfAFailure() {
        Throwable failure =
                new RuntimeException("main failed", new IllegalStateException("boom", null));

        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.FAILED, new JobCounts(2, 1, 0), failure, 3))
                .isEqualTo(
                        "flink-driver: application FAILED: 2 jobs finished, 1 failed, 0 cancelled,"
                                + " driver restarted 3 times Cause:"
                                + " java.lang.IllegalStateException: boom");
    }

    @Test
    void readsTheOriginalClassAcrossSerialization() {
        // What a JobResult of a failed driver job holds: the scheduler's wrapper around the
        // task's failure, serialized.
        Throwable failure =
                new SerializedThrowable(
                        new JobException(
                                "Recovery is suppressed",
                                new SerializedThrowable(new IOException("disk full"))));

        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.FAILED, new JobCounts(0, 0, 0), failure, 0))
                .endsWith(" Cause: java.io.IOException: disk full");
    }

    @Test
    void describesAnExceptionWithoutMessage() {
        assertThat(DriverSummary.describe(new SerializedThrowable(new NullPointerException())))
                .isEqualTo("java.lang.NullPointerException");
        assertThat(DriverSummary.describe(new NullPointerException()))
                .isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void countsJobManagerFailoversOnlyWhenThereWereAny() {
        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.SUCCEEDED, new JobCounts(4, 0, 0), null, 0, 1))
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 4 jobs finished, 0 failed, 0"
                                + " cancelled, driver restarted 0 times, JobManager failed over 1"
                                + " time");
        assertThat(
                        DriverSummary.format(
                                ApplicationOutcome.SUCCEEDED, new JobCounts(4, 0, 0), null, 0, 0))
                .doesNotContain("JobManager");
    }
}
