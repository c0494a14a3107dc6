package dev.flinkdriver.driver;

import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.cli.ClientOptions;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobStatusChangedListener;
import org.apache.flink.core.execution.JobStatusChangedListenerUtils;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.runtime.blob.BlobClient;
import org.apache.flink.runtime.client.ClientUtils;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.function.FunctionUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Submits a job main() runs straight to the dispatcher over RPC, the way application mode's {@code
 * EmbeddedExecutor} does from inside the JobManager: the jars go to the blob server, the plan in
 * one RPC message, and {@link DriverRpcJobClient} learns the result when the job ends. A plan too
 * large for one RPC message ({@code pekko.framesize}) goes to the REST executor instead, and so
 * does every job where the driver could not connect to the dispatcher.
 */
public final class DriverRpcExecutor implements PipelineExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRpcExecutor.class);

    /** Logged for every job submitted over RPC: job name, job id. DriverModeIT reads it. */
    public static final String SUBMITTING_OVER_RPC = "Submitting job '{}' ({}) over RPC.";

    /**
     * Logged for a plan too large for one RPC message: job name, job id, plan bytes, frame bytes.
     * DriverModeIT reads it.
     */
    public static final String PLAN_TOO_LARGE_FOR_RPC =
            "Job '{}' ({}): its plan of {} bytes is too large for one RPC message"
                    + " (pekko.framesize: {} bytes); submitting it through the REST API.";

    /** What an RPC message holds besides the plan stays well below this share of the frame. */
    private static final double PLAN_SHARE_OF_FRAME = 0.9;

    private final DriverDispatcherConnection connection;

    private final PipelineExecutor restExecutor;

    private final List<JobStatusChangedListener> jobStatusChangedListeners;

    DriverRpcExecutor(
            DriverDispatcherConnection connection,
            PipelineExecutor restExecutor,
            Configuration configuration) {
        this.connection = checkNotNull(connection);
        this.restExecutor = checkNotNull(restExecutor);
        this.jobStatusChangedListeners =
                JobStatusChangedListenerUtils.createJobStatusChangedListeners(
                        Thread.currentThread().getContextClassLoader(),
                        configuration,
                        connection.ioExecutor());
    }

    @Override
    public CompletableFuture<JobClient> execute(
            Pipeline pipeline, Configuration configuration, ClassLoader userCodeClassloader)
            throws Exception {
        StreamGraph streamGraph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
        streamGraph.serializeUserDefinedInstances();
        long planBytes = InstantiationUtil.serializeObject(streamGraph).length;
        long frameBytes = MemorySize.parseBytes(configuration.get(RpcOptions.FRAMESIZE));
        if (planBytes > frameBytes * PLAN_SHARE_OF_FRAME) {
            LOG.info(
                    PLAN_TOO_LARGE_FOR_RPC,
                    streamGraph.getJobName(),
                    streamGraph.getJobID(),
                    planBytes,
                    frameBytes);
            return restExecutor.execute(pipeline, configuration, userCodeClassloader);
        }

        Optional<DispatcherGateway> connected = connection.gateway();
        if (connected.isEmpty()) {
            return restExecutor.execute(pipeline, configuration, userCodeClassloader);
        }
        DispatcherGateway gateway = connected.get();
        Duration timeout = configuration.get(ClientOptions.CLIENT_TIMEOUT);
        // TaskManagers reach the blob server on the JobManager's RPC host, and so does the driver:
        // the dispatcher's own answer (InetAddress.getLocalHost() for a wildcard bind) may name
        // an address other hosts cannot reach.
        InetSocketAddress blobServer =
                new InetSocketAddress(
                        gateway.getHostname(), gateway.getBlobServerPort(timeout).get());
        ClientUtils.extractAndUploadExecutionPlanFiles(
                streamGraph, () -> new BlobClient(blobServer, configuration));

        LOG.info(SUBMITTING_OVER_RPC, streamGraph.getJobName(), streamGraph.getJobID());
        return gateway.submitJob(streamGraph, timeout)
                .thenApplyAsync(
                        FunctionUtils.uncheckedFunction(
                                ack -> {
                                    org.apache.flink.client.ClientUtils
                                            .waitUntilJobInitializationFinished(
                                                    () ->
                                                            gateway.requestJobStatus(
                                                                            streamGraph.getJobID(),
                                                                            timeout)
                                                                    .get(),
                                                    () ->
                                                            gateway.requestJobResult(
                                                                            streamGraph.getJobID(),
                                                                            timeout)
                                                                    .get(),
                                                    userCodeClassloader);
                                    PipelineExecutorUtils.notifyJobStatusListeners(
                                            pipeline, streamGraph, jobStatusChangedListeners);
                                    return (JobClient)
                                            new DriverRpcJobClient(
                                                    streamGraph.getJobID(),
                                                    gateway,
                                                    connection.scheduledExecutor(),
                                                    timeout,
                                                    userCodeClassloader);
                                }),
                        connection.ioExecutor());
    }
}
