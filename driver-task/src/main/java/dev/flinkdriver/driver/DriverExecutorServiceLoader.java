package dev.flinkdriver.driver;

import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.RemoteExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;

import javax.annotation.Nullable;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Finds the executors as usual and lets each decorate a job before it submits it. In place of
 * Flink's remote executor: the RPC executor where the driver has a connection to its dispatcher
 * ({@link DriverRpcExecutor}), else the remote one with quicker result polling ({@link
 * DriverRemoteExecutors}).
 */
final class DriverExecutorServiceLoader implements PipelineExecutorServiceLoader {

    private final PipelineExecutorServiceLoader delegate;

    private final DriverJobDecorator decorator;

    private final SubmissionListener listener;

    @Nullable private final DriverDispatcherConnection connection;

    /** Told of every job the wrapped executors submit. */
    interface SubmissionListener {
        void submitted(Pipeline pipeline, CompletableFuture<JobClient> jobClient);
    }

    DriverExecutorServiceLoader(
            PipelineExecutorServiceLoader delegate, DriverJobDecorator decorator) {
        this(delegate, decorator, (pipeline, jobClient) -> {});
    }

    DriverExecutorServiceLoader(
            PipelineExecutorServiceLoader delegate,
            DriverJobDecorator decorator,
            SubmissionListener listener) {
        this(delegate, decorator, listener, null);
    }

    DriverExecutorServiceLoader(
            PipelineExecutorServiceLoader delegate,
            DriverJobDecorator decorator,
            DriverDispatcherConnection connection) {
        this(delegate, decorator, (pipeline, jobClient) -> {}, checkNotNull(connection));
    }

    private DriverExecutorServiceLoader(
            PipelineExecutorServiceLoader delegate,
            DriverJobDecorator decorator,
            SubmissionListener listener,
            @Nullable DriverDispatcherConnection connection) {
        this.delegate = checkNotNull(delegate);
        this.decorator = checkNotNull(decorator);
        this.listener = checkNotNull(listener);
        this.connection = connection;
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration)
            throws Exception {
        PipelineExecutorFactory factory = delegate.getExecutorFactory(configuration);
        return new PipelineExecutorFactory() {
            @Override
            public String getName() {
                return factory.getName();
            }

            @Override
            public boolean isCompatibleWith(Configuration configuration) {
                return factory.isCompatibleWith(configuration);
            }

            @Override
            public PipelineExecutor getExecutor(Configuration configuration) {
                if (!RemoteExecutor.NAME.equals(factory.getName())) {
                    return decorating(factory.getExecutor(configuration));
                }
                PipelineExecutor rest = DriverRemoteExecutors.create(configuration);
                return decorating(
                        connection == null
                                ? rest
                                : new DriverRpcExecutor(connection, rest, configuration));
            }
        };
    }

    @Override
    public Stream<String> getExecutorNames() {
        return delegate.getExecutorNames();
    }

    private PipelineExecutor decorating(PipelineExecutor executor) {
        return (pipeline, configuration, userCodeClassloader) -> {
            decorator.decorate(pipeline);
            CompletableFuture<JobClient> jobClient =
                    executor.execute(
                            pipeline,
                            decorator.executorConfiguration(pipeline, configuration),
                            userCodeClassloader);
            listener.submitted(pipeline, jobClient);
            return jobClient;
        };
    }
}
