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
    void keepsTheDiagnostics() {
        DriverDiagnostics diagnostics = new DriverDiagnostics();

        diagnostics.setDiagnostics("flink-driver: application SUCCEEDED");

        assertThat(diagnostics.getDiagnostics()).isEqualTo("flink-driver: application SUCCEEDED");
    }
}
