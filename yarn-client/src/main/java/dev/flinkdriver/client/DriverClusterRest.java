package dev.flinkdriver.client;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobCancellationHeaders;
import org.apache.flink.runtime.rest.messages.JobCancellationMessageParameters;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.JobVertexDetailsHeaders;
import org.apache.flink.runtime.rest.messages.JobVertexMessageParameters;
import org.apache.flink.runtime.rest.messages.JobVertexTaskManagersHeaders;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;
import org.apache.flink.runtime.rest.messages.TerminationModeQueryParameter;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.SubtaskAttemptMessageParameters;
import org.apache.flink.runtime.rest.messages.job.SubtaskExecutionAttemptDetailsHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointTriggerHeaders;
import org.apache.flink.runtime.rest.util.RestMapperUtils;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.util.concurrent.Executors;

import org.apache.hadoop.yarn.api.records.ApplicationReport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Flink's REST API of a running driver cluster, through Flink's own {@link RestClient} and message
 * headers, at the address the ApplicationMaster registered with YARN (as Flink's {@code
 * YarnClusterDescriptor#retrieve} finds it). Bounded: a JobManager that does not answer is given up
 * on within seconds.
 */
final class DriverClusterRest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverClusterRest.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RestClient client;
    private final String host;
    private final int port;

    private DriverClusterRest(RestClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /** The REST API of the running application of this report. */
    static DriverClusterRest of(Configuration flinkConfig, ApplicationReport report)
            throws Exception {
        Configuration config = new Configuration(flinkConfig);
        config.set(RestOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(5));
        config.set(RestOptions.IDLENESS_TIMEOUT, TIMEOUT);
        return new DriverClusterRest(
                new RestClient(config, Executors.directExecutor()),
                report.getHost(),
                report.getRpcPort());
    }

    Collection<JobDetails> jobs() throws Exception {
        return client.sendRequest(host, port, JobsOverviewHeaders.getInstance())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getJobs();
    }

    /** The driver job's attempt; {@code failed}: the driver job has FAILED. */
    DriverAttempt driverAttempt(JobID driverJob, boolean failed) throws Exception {
        return DriverAttempt.fetch(client, host, port, driverJob, failed, TIMEOUT);
    }

    /**
     * {@code /jobs/<id>/vertices/<vertex>/taskmanagers} of the job's first vertex, as JSON (the
     * response class has no getters): where the job's tasks run. The archive keeps the same JSON.
     */
    Optional<JsonNode> taskManagers(JobID job) throws Exception {
        Optional<JobDetailsInfo.JobVertexDetailsInfo> vertex = firstVertex(job);
        if (vertex.isEmpty()) {
            return Optional.empty();
        }
        JobVertexMessageParameters parameters = new JobVertexMessageParameters();
        parameters.jobPathParameter.resolve(job);
        parameters.jobVertexIdPathParameter.resolve(vertex.get().getJobVertexID());
        return Optional.of(
                RestMapperUtils.getStrictObjectMapper()
                        .valueToTree(
                                client.sendRequest(
                                                host,
                                                port,
                                                JobVertexTaskManagersHeaders.getInstance(),
                                                parameters,
                                                EmptyRequestBody.getInstance())
                                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
    }

    /** The job's first vertex ({@code /jobs/<id>}); the driver job has only one. */
    private Optional<JobDetailsInfo.JobVertexDetailsInfo> firstVertex(JobID job) throws Exception {
        JobMessageParameters jobParameters = new JobMessageParameters();
        jobParameters.jobPathParameter.resolve(job);
        JobDetailsInfo details =
                client.sendRequest(
                                host,
                                port,
                                JobDetailsHeaders.getInstance(),
                                jobParameters,
                                EmptyRequestBody.getInstance())
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return details.getJobVertexInfos().stream().findFirst();
    }

    /**
     * Every attempt Flink keeps of the job's first task ({@code
     * /jobs/<id>/vertices/<vertex>/subtasks/0/attempts/<n>}, oldest first, as JSON): for the driver
     * job, where each driver attempt ran. The archive keeps the same JSON.
     */
    List<JsonNode> taskAttempts(JobID job) throws Exception {
        Optional<JobDetailsInfo.JobVertexDetailsInfo> vertex = firstVertex(job);
        List<JsonNode> attempts = new ArrayList<>();
        if (vertex.isEmpty()) {
            return attempts;
        }
        JobVertexID vertexId = vertex.get().getJobVertexID();
        JobVertexMessageParameters vertexParameters = new JobVertexMessageParameters();
        vertexParameters.jobPathParameter.resolve(job);
        vertexParameters.jobVertexIdPathParameter.resolve(vertexId);
        JsonNode current =
                RestMapperUtils.getStrictObjectMapper()
                        .valueToTree(
                                client.sendRequest(
                                                host,
                                                port,
                                                JobVertexDetailsHeaders.getInstance(),
                                                vertexParameters,
                                                EmptyRequestBody.getInstance())
                                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .path("subtasks")
                        .path(0);
        int currentAttempt = current.path("attempt").asInt(0);
        for (int n = 0; n < currentAttempt; n++) {
            try {
                attempts.add(
                        RestMapperUtils.getStrictObjectMapper()
                                .valueToTree(
                                        client.sendRequest(
                                                        host,
                                                        port,
                                                        SubtaskExecutionAttemptDetailsHeaders
                                                                .getInstance(),
                                                        new FirstSubtaskAttempt(job, vertexId, n),
                                                        EmptyRequestBody.getInstance())
                                                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
            } catch (Exception e) {
                // Beyond Flink's attempt history (jobmanager.execution.attempts-history-size).
                LOG.debug("No attempt {} of job {}", n, job, e);
            }
        }
        if (!current.isMissingNode()) {
            attempts.add(current);
        }
        return attempts;
    }

    /** The path parameters of one attempt of a job's first subtask. */
    private static final class FirstSubtaskAttempt extends SubtaskAttemptMessageParameters {
        FirstSubtaskAttempt(JobID job, JobVertexID vertex, int attempt) {
            jobPathParameter.resolve(job);
            jobVertexIdPathParameter.resolve(vertex);
            subtaskIndexPathParameter.resolve(0);
            subtaskAttemptPathParameter.resolve(attempt);
        }
    }

    /** {@code /jobs/<id>/checkpoints} as JSON; empty for a job without checkpointing. */
    Optional<JsonNode> checkpoints(JobID job) {
        JobMessageParameters parameters = new JobMessageParameters();
        parameters.jobPathParameter.resolve(job);
        try {
            return Optional.of(
                    RestMapperUtils.getStrictObjectMapper()
                            .valueToTree(
                                    client.sendRequest(
                                                    host,
                                                    port,
                                                    CheckpointingStatisticsHeaders.getInstance(),
                                                    parameters,
                                                    EmptyRequestBody.getInstance())
                                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    void cancel(JobID job) throws Exception {
        JobCancellationMessageParameters parameters =
                new JobCancellationMessageParameters()
                        .resolveJobId(job)
                        .resolveTerminationMode(
                                TerminationModeQueryParameter.TerminationMode.CANCEL);
        client.sendRequest(
                        host,
                        port,
                        JobCancellationHeaders.getInstance(),
                        parameters,
                        EmptyRequestBody.getInstance())
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Triggers a savepoint of {@code job} ({@code stop}: stop-with-savepoint, {@code drain}: after
     * draining its sources) into {@code targetDirectory}, or the cluster's default directory where
     * null; returns the id under which {@link #savepointStatus} reports it.
     */
    TriggerId triggerSavepoint(
            JobID job, @Nullable String targetDirectory, boolean stop, boolean drain)
            throws Exception {
        SavepointTriggerMessageParameters parameters = new SavepointTriggerMessageParameters();
        parameters.jobID.resolve(job);
        TriggerId trigger = new TriggerId();
        if (stop) {
            return client.sendRequest(
                            host,
                            port,
                            StopWithSavepointTriggerHeaders.getInstance(),
                            parameters,
                            new StopWithSavepointRequestBody(
                                    targetDirectory, drain, SavepointFormatType.DEFAULT, trigger))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .getTriggerId();
        }
        return client.sendRequest(
                        host,
                        port,
                        SavepointTriggerHeaders.getInstance(),
                        parameters,
                        new SavepointTriggerRequestBody(
                                targetDirectory, false, SavepointFormatType.DEFAULT, trigger))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .getTriggerId();
    }

    /** The savepoint's outcome once it has one; empty while it is in progress. */
    Optional<SavepointInfo> savepointStatus(JobID job, TriggerId trigger) throws Exception {
        SavepointStatusMessageParameters parameters = new SavepointStatusMessageParameters();
        parameters.jobIdPathParameter.resolve(job);
        parameters.triggerIdPathParameter.resolve(trigger);
        AsynchronousOperationResult<SavepointInfo> result =
                client.sendRequest(
                                host,
                                port,
                                SavepointStatusHeaders.getInstance(),
                                parameters,
                                EmptyRequestBody.getInstance())
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.ofNullable(result.resource());
    }

    @Override
    public void close() {
        client.closeAsync();
    }
}
