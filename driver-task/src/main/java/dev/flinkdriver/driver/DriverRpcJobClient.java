package dev.flinkdriver.driver;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.application.EmbeddedJobClient;
import org.apache.flink.client.deployment.application.UnsuccessfulExecutionException;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.FutureUtils;
import org.apache.flink.util.concurrent.ScheduledExecutor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Flink's job client for a job on a dispatcher it reaches over RPC, told of the job's result when
 * the job ends. Flink's own asks for the status every 100 ms; the dispatcher can instead answer one
 * request for the result when the result exists, which is asked for again each {@link #RESULT_WAIT}
 * since an RPC needs a bound.
 */
final class DriverRpcJobClient extends EmbeddedJobClient {

    static final Duration RESULT_WAIT = Duration.ofMinutes(5);

    private final JobID jobId;

    private final DispatcherGateway dispatcherGateway;

    private final ClassLoader classLoader;

    DriverRpcJobClient(
            JobID jobId,
            DispatcherGateway dispatcherGateway,
            ScheduledExecutor retryExecutor,
            Duration rpcTimeout,
            ClassLoader classLoader) {
        super(jobId, dispatcherGateway, retryExecutor, rpcTimeout, classLoader);
        this.jobId = jobId;
        this.dispatcherGateway = dispatcherGateway;
        this.classLoader = classLoader;
    }

    @Override
    public CompletableFuture<JobExecutionResult> getJobExecutionResult() {
        return awaitResult()
                .thenApply(
                        jobResult -> {
                            try {
                                return jobResult.toJobExecutionResult(classLoader);
                            } catch (Throwable t) {
                                throw new CompletionException(
                                        UnsuccessfulExecutionException.fromJobResult(
                                                jobResult, classLoader));
                            }
                        });
    }

    private CompletableFuture<JobResult> awaitResult() {
        return dispatcherGateway
                .requestJobResult(jobId, RESULT_WAIT)
                .handle(
                        (result, failure) -> {
                            if (failure == null) {
                                return CompletableFuture.completedFuture(result);
                            }
                            if (ExceptionUtils.findThrowable(failure, TimeoutException.class)
                                    .isPresent()) {
                                // Still running: ask again.
                                return awaitResult();
                            }
                            return FutureUtils.<JobResult>completedExceptionally(failure);
                        })
                .thenCompose(future -> future);
    }
}
