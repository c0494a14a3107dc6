package dev.flinkdriver.dispatcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DriverDiagnosticsTest {

    @Test
    void startsWithoutDiagnosticsAtZeroProgress() {
        DriverDiagnostics diagnostics = new DriverDiagnostics();

        assertThat(diagnostics.getDiagnostics()).isNull();
        assertThat(diagnostics.getProgress()).isEqualTo(0.0);
    }

    @Test
    void progressNeverMovesBackwardsAndStaysWithinBounds() {
        DriverDiagnostics diagnostics = new DriverDiagnostics();

        diagnostics.updateProgress(0.5);
        diagnostics.updateProgress(0.25);
        assertThat(diagnostics.getProgress()).isEqualTo(0.5);

        diagnostics.updateProgress(7.0);
        assertThat(diagnostics.getProgress()).isEqualTo(1.0);
        diagnostics.updateProgress(-1.0);
        assertThat(diagnostics.getProgress()).isEqualTo(1.0);
    }

    @Test
    void keepsTheDiagnosticsOfTheEndedApplicationAtFullProgress() {
        DriverDiagnostics diagnostics = new DriverDiagnostics();
        diagnostics.updateProgress(0.5);
        assertThat(diagnostics.getDiagnostics()).as("running").isNull();

        String summary =
                DriverSummary.format(ApplicationOutcome.SUCCEEDED, new JobCounts(3, 0, 0), null, 0);
        diagnostics.applicationEnded(summary);
        // A late report of the tracker's progress must not take the end back.
        diagnostics.updateProgress(0.75);

        assertThat(diagnostics.getDiagnostics())
                .isEqualTo(
                        "flink-driver: application SUCCEEDED: 3 jobs finished, 0 failed,"
                                + " 0 cancelled, driver restarted 0 times");
        assertThat(diagnostics.getProgress()).as("YARN shows the ended application").isEqualTo(1.0);
    }
}
