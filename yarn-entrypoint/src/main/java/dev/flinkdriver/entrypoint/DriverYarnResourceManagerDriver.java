package dev.flinkdriver.entrypoint;

import dev.flinkdriver.dispatcher.DriverDiagnostics;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.yarn.DefaultYarnNodeManagerClientFactory;
import org.apache.flink.yarn.DefaultYarnResourceManagerClientFactory;
import org.apache.flink.yarn.YarnResourceManagerDriver;
import org.apache.flink.yarn.configuration.YarnResourceManagerDriverConfiguration;

import javax.annotation.Nullable;

/**
 * Flink's YARN resource manager driver, reporting the driver application's progress on every
 * heartbeat and its one-line summary as the YARN diagnostics when it unregisters. Flink's own
 * shutdown always passes null diagnostics.
 */
final class DriverYarnResourceManagerDriver extends YarnResourceManagerDriver {

    private final DriverDiagnostics diagnostics;

    DriverYarnResourceManagerDriver(
            Configuration flinkConfig,
            YarnResourceManagerDriverConfiguration configuration,
            DriverDiagnostics diagnostics) {
        super(
                flinkConfig,
                configuration,
                (heartbeatMillis, handler) ->
                        DefaultYarnResourceManagerClientFactory.getInstance()
                                .createResourceManagerClient(
                                        heartbeatMillis,
                                        new ProgressReportingCallbackHandler(
                                                handler, diagnostics::getProgress)),
                DefaultYarnNodeManagerClientFactory.getInstance());
        this.diagnostics = diagnostics;
    }

    @Override
    public void deregisterApplication(
            ApplicationStatus finalStatus, @Nullable String optionalDiagnostics) {
        super.deregisterApplication(
                finalStatus,
                optionalDiagnostics != null ? optionalDiagnostics : diagnostics.getDiagnostics());
    }
}
