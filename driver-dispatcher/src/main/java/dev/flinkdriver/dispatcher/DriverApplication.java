package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobGraphs;
import dev.flinkdriver.api.DriverOptions;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.ApplicationState;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.application.AbstractApplication;
import org.apache.flink.runtime.blob.BlobClient;
import org.apache.flink.runtime.blob.PermanentBlobKey;
import org.apache.flink.runtime.client.ClientUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.tasks.TaskInvokable;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.rpc.FatalErrorHandler;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.ScheduledExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The driver application: submits the driver job, which runs main(), and follows the outcome the
 * {@link DriverDispatcher} decides. Its jobs are the driver job and every job main() submits.
 */
public final class DriverApplication extends AbstractApplication {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(DriverApplication.class);

    private final JobID driverJobId;

    private final String name;

    private final Configuration clusterConfiguration;

    private final Configuration driverConfiguration;

    private final ResourceProfile driverProfile;

    private final Class<? extends TaskInvokable> driverTask;

    private final Duration startupTimeout;

    private final transient CompletableFuture<String> restBaseUrl;

    private transient @Nullable CompletableFuture<JobGraph> driverJobPreparation;

    private transient @Nullable Runnable cancelHandler;

    private transient volatile boolean disposed;

    /** An earlier JobManager's driver job was recovered: it is not submitted again. */
    private transient boolean driverJobRecovered;

    /**
     * @param clusterConfiguration the cluster's configuration, for the blob client
     * @param driverConfiguration see {@link DriverJobGraphs#create}
     * @param restBaseUrl completes with the REST endpoint's base URL once it is up
     */
    public DriverApplication(
            ApplicationID applicationId,
            JobID driverJobId,
            String name,
            Configuration clusterConfiguration,
            Configuration driverConfiguration,
            CompletableFuture<String> restBaseUrl,
            ResourceProfile driverProfile,
            Class<? extends TaskInvokable> driverTask) {
        super(applicationId);
        this.driverTask = checkNotNull(driverTask);
        this.driverJobId = checkNotNull(driverJobId);
        this.name = checkNotNull(name);
        this.clusterConfiguration = checkNotNull(clusterConfiguration);
        this.driverConfiguration = checkNotNull(driverConfiguration);
        this.restBaseUrl = checkNotNull(restBaseUrl);
        this.driverProfile = checkNotNull(driverProfile);
        this.startupTimeout = driverConfiguration.get(DriverOptions.STARTUP_TIMEOUT);
    }

    public JobID getDriverJobId() {
        return driverJobId;
    }

    /**
     * After a JobManager failover the driver job already exists (high availability kept it): the
     * dispatcher recovers it, this application submits nothing.
     */
    void driverJobRecovered() {
        this.driverJobRecovered = true;
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * Returns at once and submits the driver job in the background: the dispatcher calls this on
     * its main thread while it starts, and a submission waited for here would never be served.
     */
    @Override
    public CompletableFuture<Acknowledge> execute(
            DispatcherGateway dispatcherGateway,
            ScheduledExecutor scheduledExecutor,
            Executor mainThreadExecutor,
            FatalErrorHandler errorHandler) {
        transitionToRunning();
        if (driverJobRecovered) {
            LOG.info("The driver job {} of {} is recovered, not submitted.", driverJobId, name);
            return CompletableFuture.completedFuture(Acknowledge.get());
        }

        CompletableFuture<JobGraph> preparation =
                restBaseUrl
                        .copy()
                        .orTimeout(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .thenApplyAsync(
                                url -> createAndUploadDriverJob(url, dispatcherGateway),
                                scheduledExecutor);
        driverJobPreparation = preparation;

        preparation.whenComplete(
                (jobGraph, failure) -> {
                    if (disposed) {
                        return;
                    }
                    if (failure != null) {
                        Throwable cause = ExceptionUtils.stripCompletionException(failure);
                        LOG.error("Could not prepare the driver job of {}.", name, cause);
                        // Reported as a failed driver job: that is what the dispatcher waits for.
                        dispatcherGateway.submitFailedJob(driverJobId, name, cause);
                        return;
                    }
                    LOG.info("Submitting driver job {} of application {}.", driverJobId, name);
                    // The dispatcher learns itself whether the submission failed.
                    dispatcherGateway.submitJob(jobGraph, startupTimeout);
                });
        return CompletableFuture.completedFuture(Acknowledge.get());
    }

    /** Runs on the dispatcher's main thread; the dispatcher decides how to wind down. */
    @Override
    public void cancel() {
        if (getApplicationStatus() == ApplicationState.CREATED) {
            transitionToCanceling();
            transitionToCanceled();
        } else if (cancelHandler != null) {
            cancelHandler.run();
        }
    }

    @Override
    public void dispose() {
        disposed = true;
        CompletableFuture<JobGraph> preparation = driverJobPreparation;
        if (preparation != null) {
            preparation.cancel(false);
        }
    }

    void setCancelHandler(Runnable cancelHandler) {
        this.cancelHandler = checkNotNull(cancelHandler);
    }

    /** Main thread: the outcome is decided, the remaining jobs are being cancelled. */
    void transitionToEnding(ApplicationOutcome outcome, @Nullable Throwable cause) {
        ApplicationState state = getApplicationStatus();
        if (outcome == ApplicationOutcome.FAILED && state == ApplicationState.RUNNING) {
            if (cause != null) {
                addExceptionHistoryEntry(cause, driverJobId);
            }
            transitionToFailing();
        } else if (outcome == ApplicationOutcome.CANCELED
                && (state == ApplicationState.CREATED || state == ApplicationState.RUNNING)) {
            transitionToCanceling();
        }
    }

    /** Main thread: every job is terminal; the application ends with the decided outcome. */
    void transitionToEnded(ApplicationOutcome outcome, @Nullable Throwable cause) {
        transitionToEnding(outcome, cause);
        switch (getApplicationStatus()) {
            case RUNNING:
                transitionToFinished();
                break;
            case FAILING:
                transitionToFailed();
                break;
            case CANCELING:
                transitionToCanceled();
                break;
            default:
                // already terminal
        }
    }

    private JobGraph createAndUploadDriverJob(String url, DispatcherGateway dispatcherGateway) {
        JobGraph jobGraph =
                DriverJobGraphs.create(
                        driverJobId,
                        getApplicationId(),
                        name,
                        driverConfiguration,
                        url,
                        driverProfile,
                        driverTask);
        try {
            int port =
                    dispatcherGateway
                            .getBlobServerPort(startupTimeout)
                            .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            InetAddress address =
                    dispatcherGateway
                            .getBlobServerAddress(startupTimeout)
                            .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            InetSocketAddress blobServer = new InetSocketAddress(address.getHostName(), port);
            ClientUtils.extractAndUploadExecutionPlanFiles(
                    jobGraph, () -> new BlobClient(blobServer, clusterConfiguration));
        } catch (Exception e) {
            ExceptionUtils.rethrow(e, "Could not upload the jars of the driver job.");
        }
        // The driver task finds its application jar among the blob files by this key.
        List<PermanentBlobKey> blobKeys = jobGraph.getUserJarBlobKeys();
        if (!blobKeys.isEmpty()) {
            jobGraph.getJobConfiguration()
                    .set(DriverInternalOptions.JAR_BLOB_KEY, blobKeys.get(0).toString());
        }
        return jobGraph;
    }
}
