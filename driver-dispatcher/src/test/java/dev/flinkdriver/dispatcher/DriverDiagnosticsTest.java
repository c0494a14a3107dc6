package dev.flinkdriver.dispatcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DriverDiagnosticsTest {

    private long now = 1_000_000L;

    @Test
    void startsWithoutDiagnosticsAtZeroProgress() {
        DriverDiagnostics diagnostics = new DriverDiagnostics();

        assertThat(diagnostics.getDiagnostics()).isNull();
        assertThat(diagnostics.getProgress()).isEqualTo(0.0);
    }

    @Test
    void progressFollowsTheClockAndNeverMovesBackwards() {
        DriverDiagnostics diagnostics = new DriverDiagnostics(() -> now);
        diagnostics.updateProgress(runningSince(now, true));
        now += 10_000;
        double later = diagnostics.getProgress();
        assertThat(later).isPositive();

        diagnostics.updateProgress(new ProgressEstimate(40, 0, 0, 0, new long[0], true));
        assertThat(diagnostics.getProgress()).isEqualTo(later);
    }

    @Test
    void keepsTheDiagnosticsOfTheEndedApplicationAtFullProgress() {
        DriverDiagnostics diagnostics = new DriverDiagnostics(() -> now);
        diagnostics.updateProgress(runningSince(now - 5_000, false));
        assertThat(diagnostics.getDiagnostics()).as("running").isNull();
        assertThat(diagnostics.getProgress()).isLessThan(1.0);

        String summary =
                DriverSummary.format(ApplicationOutcome.SUCCEEDED, new JobCounts(3, 0, 0), null, 0);
        diagnostics.applicationEnded(summary);
        // A late report of the dispatcher's progress must not take the end back.
        diagnostics.updateProgress(runningSince(now, true));

        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 3 jobs finished, 0 failed,"
                                + " 0 cancelled, driver restarted 0 times");
        assertThat(diagnostics.getProgress()).as("YARN shows the ended application").isEqualTo(1.0);
    }

    private static ProgressEstimate runningSince(long since, boolean driverRunning) {
        return new ProgressEstimate(1, 0, 0, 0, new long[] {since}, driverRunning);
    }
}
