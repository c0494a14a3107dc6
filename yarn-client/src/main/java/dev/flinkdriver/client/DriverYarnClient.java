package dev.flinkdriver.client;

import dev.flinkdriver.entrypoint.ContainerClassDataSharing;
import dev.flinkdriver.entrypoint.ContainerClassDataSharing.Role;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.client.api.impl.YarnClientImpl;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.util.Optional;

/**
 * The YARN client Flink's deployment submits through: it remembers what it submitted so that a
 * failed deployment can be cleaned up and named, and lets the deployment end once YARN has accepted
 * the application ({@link DriverClientOptions#RETURN_WHEN}), adds the closing attempt ({@link
 * ClosingAttemptRequest}) and the JobManager's class-data archive ({@link
 * ContainerClassDataSharing}). Flink builds the submission context and waits for the
 * ApplicationMaster in private methods; the client is the one seam.
 */
final class DriverYarnClient extends YarnClientImpl {

    private volatile ApplicationId submitted;

    private final boolean acceptedIsDeployed;

    private final Configuration flinkConfig;

    /** A new application from YARN that nothing has submitted yet. */
    private YarnClientApplication unsubmitted;

    DriverYarnClient(Configuration flinkConfig) {
        this.flinkConfig = flinkConfig;
        acceptedIsDeployed =
                flinkConfig.get(DriverClientOptions.RETURN_WHEN)
                        == DriverClientOptions.ReturnWhen.ACCEPTED;
    }

    /**
     * A new application, the same one until it is submitted: {@link YarnPreflight} reads YARN's
     * maximum allocation from a new application, and Flink's deployment then submits that one
     * instead of asking YARN for another (one ResourceManager call and one application id less).
     */
    @Override
    public synchronized YarnClientApplication createApplication()
            throws YarnException, IOException {
        if (unsubmitted == null) {
            unsubmitted = super.createApplication();
        }
        return unsubmitted;
    }

    @Override
    public ApplicationId submitApplication(ApplicationSubmissionContext context)
            throws YarnException, IOException {
        synchronized (this) {
            unsubmitted = null;
        }
        submitted = context.getApplicationId();
        // Flink sets the attempts in a private method; the closing attempt is added here.
        context.setMaxAppAttempts(
                ClosingAttemptRequest.maxAppAttempts(
                        context.getMaxAppAttempts(), flinkConfig, getConfig()));
        // Flink builds the ApplicationMaster's start command in a package-private method.
        new ContainerClassDataSharing(flinkConfig)
                .apply(context.getAMContainerSpec(), command -> Role.JOBMANAGER);
        return super.submitApplication(context);
    }

    @Override
    public ApplicationReport getApplicationReport(ApplicationId id)
            throws YarnException, IOException {
        ApplicationReport report = super.getApplicationReport(id);
        if (acceptedIsDeployed
                && id.equals(submitted)
                && report.getYarnApplicationState() == YarnApplicationState.ACCEPTED) {
            // Flink's deployment polls until RUNNING and has no other exit that keeps the
            // application alive (leaving the loop otherwise kills it from a shutdown hook).
            // After the loop Flink only copies the AM's address from the report, which the
            // driver client never uses.
            report.setYarnApplicationState(YarnApplicationState.RUNNING);
        }
        return report;
    }

    /** The application submitted last, if any. */
    Optional<ApplicationId> submitted() {
        return Optional.ofNullable(submitted);
    }
}
