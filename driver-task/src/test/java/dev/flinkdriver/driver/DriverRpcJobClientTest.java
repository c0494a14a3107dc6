package dev.flinkdriver.driver;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.dispatcher.DispatcherGateway;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.concurrent.FutureUtils;
import org.apache.flink.util.concurrent.ScheduledExecutorServiceAdapter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverRpcJobClientTest {

    private final JobID jobId = new JobID();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void waitsForTheResultAcrossRpcTimeouts() throws Exception {
        JobResult finished =
                new JobResult.Builder()
                        .jobId(jobId)
                        .jobStatus(JobStatus.FINISHED)
                        .netRuntime(42)
                        .accumulatorResults(Collections.emptyMap())
                        .build();
        List<Duration> asked = new ArrayList<>();
        DispatcherGateway dispatcher =
                answering(
                        asked,
                        FutureUtils.completedExceptionally(new TimeoutException("ask timed out")),
                        FutureUtils.completedExceptionally(new TimeoutException("ask timed out")),
                        CompletableFuture.completedFuture(finished));

        JobExecutionResult result = client(dispatcher).getJobExecutionResult().get();

        assertThat(result.getJobID()).isEqualTo(jobId);
        assertThat(result.getNetRuntime()).isEqualTo(42);
        assertThat(asked)
                .as("one long request per round, asked again after each RPC timeout")
                .containsExactly(
                        DriverRpcJobClient.RESULT_WAIT,
                        DriverRpcJobClient.RESULT_WAIT,
                        DriverRpcJobClient.RESULT_WAIT);
    }

    @Test
    void aFailedJobFailsExecuteWithItsCause() {
        JobResult failed =
                new JobResult.Builder()
                        .jobId(jobId)
                        .jobStatus(JobStatus.FAILED)
                        .netRuntime(1)
                        .accumulatorResults(Collections.emptyMap())
                        .serializedThrowable(
                                new SerializedThrowable(new IllegalStateException("boom")))
                        .build();
        DispatcherGateway dispatcher =
                answering(new ArrayList<>(), CompletableFuture.completedFuture(failed));

        assertThatThrownBy(() -> client(dispatcher).getJobExecutionResult().get())
                .isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("boom");
    }

    @Test
    void anotherRpcFailureIsNotRetried() {
        List<Duration> asked = new ArrayList<>();
        DispatcherGateway dispatcher =
                answering(
                        asked,
                        FutureUtils.completedExceptionally(
                                new IllegalStateException("dispatcher gone")));

        assertThatThrownBy(() -> client(dispatcher).getJobExecutionResult().get())
                .hasStackTraceContaining("dispatcher gone");
        assertThat(asked).hasSize(1);
    }

    private DriverRpcJobClient client(DispatcherGateway dispatcher) {
        return new DriverRpcJobClient(
                jobId,
                dispatcher,
                new ScheduledExecutorServiceAdapter(scheduler),
                Duration.ofSeconds(10),
                getClass().getClassLoader());
    }

    /** A dispatcher that answers requestJobResult with the given futures, one per request. */
    @SafeVarargs
    private static DispatcherGateway answering(
            List<Duration> asked, CompletableFuture<JobResult>... answers) {
        Deque<CompletableFuture<JobResult>> queue = new ArrayDeque<>(List.of(answers));
        return (DispatcherGateway)
                Proxy.newProxyInstance(
                        DispatcherGateway.class.getClassLoader(),
                        new Class<?>[] {DispatcherGateway.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("requestJobResult")) {
                                asked.add((Duration) args[1]);
                                return queue.removeFirst();
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
    }
}
