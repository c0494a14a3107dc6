package dev.flinkdriver.dispatcher;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.apache.flink.util.Preconditions.checkNotNull;

/** Finds the executors as usual and lets each decorate a job before it submits it. */
final class DriverExecutorServiceLoader implements PipelineExecutorServiceLoader {

    private final PipelineExecutorServiceLoader delegate;

    private final DriverJobDecorator decorator;

    DriverExecutorServiceLoader(
            PipelineExecutorServiceLoader delegate, DriverJobDecorator decorator) {
        this.delegate = checkNotNull(delegate);
        this.decorator = checkNotNull(decorator);
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
                return decorating(factory.getExecutor(configuration));
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
                    executor.execute(pipeline, configuration, userCodeClassloader);
            return jobClient;
        };
    }
}
