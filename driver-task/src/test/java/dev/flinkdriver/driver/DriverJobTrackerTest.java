package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DriverJobTrackerTest {

    @Test
    void readsTheLivingPriorityOfAStreamGraph() {
        Configuration daemon = new Configuration();
        daemon.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        Configuration lowerCase = new Configuration();
        lowerCase.setString(DriverOptions.JOB_LIVING_PRIORITY.key(), "daemon");
        Configuration driver = new Configuration();
        driver.setString(DriverOptions.JOB_LIVING_PRIORITY.key(), "DRIVER");
        Configuration invalid = new Configuration();
        invalid.setString(DriverOptions.JOB_LIVING_PRIORITY.key(), "immortal");

        assertThat(DriverJobTracker.livingPriorityOf(streamGraph(daemon)))
                .isEqualTo(LivingPriority.DAEMON);
        assertThat(DriverJobTracker.livingPriorityOf(streamGraph(lowerCase)))
                .isEqualTo(LivingPriority.DAEMON);
        assertThat(DriverJobTracker.livingPriorityOf(streamGraph(new Configuration())))
                .isEqualTo(LivingPriority.NORMAL);
        assertThat(DriverJobTracker.livingPriorityOf(streamGraph(driver)))
                .as("only the driver job is DRIVER")
                .isEqualTo(LivingPriority.NORMAL);
        assertThat(DriverJobTracker.livingPriorityOf(streamGraph(invalid)))
                .isEqualTo(LivingPriority.NORMAL);
        assertThat(DriverJobTracker.livingPriorityOf(new Pipeline() {}))
                .isEqualTo(LivingPriority.NORMAL);
    }

    @Test
    void aFailedMainCancelsItsRunningJobsOnly() {
        DriverJobTracker tracker = tracker();
        FakeJob running = new FakeJob(JobStatus.RUNNING);
        FakeJob finished = new FakeJob(JobStatus.FINISHED);
        FakeJob daemon = new FakeJob(JobStatus.RUNNING);
        tracker.submitted(streamGraph(new Configuration()), running.future());
        tracker.submitted(streamGraph(new Configuration()), finished.future());
        tracker.submitted(streamGraph(daemonConfiguration()), daemon.future());
        tracker.submitted(streamGraph(new Configuration()), failedSubmission());

        tracker.cancelAll();

        assertThat(running.cancelled).isTrue();
        assertThat(daemon.cancelled).isTrue();
        assertThat(finished.cancelled).isFalse();
        assertThat(running.status.get()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void daemonJobsAreCancelledOnceTheNormalJobsEnded() throws Exception {
        DriverJobTracker tracker = tracker();
        FakeJob normal = new FakeJob(JobStatus.RUNNING);
        FakeJob daemon = new FakeJob(JobStatus.RUNNING);
        tracker.submitted(streamGraph(new Configuration()), normal.future());
        tracker.submitted(streamGraph(daemonConfiguration()), daemon.future());

        CompletableFuture<Void> waiting =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                tracker.awaitNormalJobsThenCancelDaemons();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        // Observed, not slept for: the tracker has seen the NORMAL job running twice and waits on.
        await().atMost(Duration.ofSeconds(10)).until(() -> normal.statusQueries.get() >= 2);
        assertThat(waiting).isNotDone();
        assertThat(daemon.cancelled).as("the NORMAL job still runs").isFalse();

        normal.status.set(JobStatus.FINISHED);
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(daemon.cancelled).isTrue();
        assertThat(normal.cancelled).isFalse();
    }

    private static DriverJobTracker tracker() {
        return new DriverJobTracker(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    private static Configuration daemonConfiguration() {
        Configuration configuration = new Configuration();
        configuration.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        return configuration;
    }

    private static StreamGraph streamGraph(Configuration configuration) {
        return new StreamGraph(
                configuration,
                new ExecutionConfig(),
                new CheckpointConfig(),
                SavepointRestoreSettings.none());
    }

    private static CompletableFuture<JobClient> failedSubmission() {
        return CompletableFuture.failedFuture(new IllegalStateException("rejected"));
    }

    /** A job whose cancellation is immediate. */
    private static final class FakeJob {
        final JobID jobId = new JobID();
        final AtomicReference<JobStatus> status;
        volatile boolean cancelled;
        final AtomicInteger statusQueries = new AtomicInteger();

        FakeJob(JobStatus initial) {
            status = new AtomicReference<>(initial);
        }

        CompletableFuture<JobClient> future() {
            JobClient client =
                    (JobClient)
                            Proxy.newProxyInstance(
                                    JobClient.class.getClassLoader(),
                                    new Class<?>[] {JobClient.class},
                                    (proxy, method, args) -> {
                                        switch (method.getName()) {
                                            case "getJobID":
                                                return jobId;
                                            case "getJobStatus":
                                                statusQueries.incrementAndGet();
                                                return CompletableFuture.completedFuture(
                                                        status.get());
                                            case "cancel":
                                                cancelled = true;
                                                status.set(JobStatus.CANCELED);
                                                return CompletableFuture.completedFuture(null);
                                            case "toString":
                                                return "FakeJob " + jobId;
                                            default:
                                                throw new UnsupportedOperationException(
                                                        method.getName());
                                        }
                                    });
            return CompletableFuture.completedFuture(client);
        }
    }
}
