package dev.flinkdriver.entrypoint;

import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.blocklist.BlockedNodeRetriever;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.active.ResourceEventHandler;
import org.apache.flink.runtime.resourcemanager.active.ResourceManagerDriver;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.apache.flink.yarn.YarnWorkerNode;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-queue check sees what Flink's resource manager and its YARN driver tell each other: a
 * container lost with its node stops counting, containers taken over after a failover count.
 */
class ContainerWaitCheckTest {

    private static final long T = 30_000;

    private static final ApplicationAttemptId ATTEMPT =
            ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 1), 1);

    private static final Configuration CONFIG = new Configuration();
    private static final DriverResources DRIVER = DriverResources.fromConfiguration(CONFIG);
    private static final TaskExecutorProcessSpec USER =
            TaskExecutorProcessUtils.processSpecFromConfig(
                    new Configuration()
                            .set(
                                    TaskManagerOptions.TOTAL_PROCESS_MEMORY,
                                    MemorySize.parse("1728m")));

    private final FakeYarnDriver yarn = new FakeYarnDriver();
    private final List<Throwable> failures = new ArrayList<>();
    private long now;

    private final ContainerWaitCheck check =
            new ContainerWaitCheck(
                    yarn, Duration.ofMillis(T), DRIVER, () -> null, failures::add, () -> now);

    @BeforeEach
    void initialize() throws Exception {
        check.initialize(yarn.resourceManager, new NoScheduling(), Runnable::run, Set::of);
    }

    @Test
    void aTaskManagerLostWithItsNodeNoLongerCounts() {
        grant(check.requestResource(DRIVER.processSpec()), 1);
        YarnWorkerNode user = grant(check.requestResource(USER), 2);

        // YARN reports the container of a lost node ended; the resource manager asks for another.
        now = 60_000;
        yarn.handler.onWorkerTerminated(user.getResourceID(), "Container lost with its node");
        check.requestResource(USER);

        at(60_000 + T - 1);
        assertThat(failures).isEmpty();
        at(60_000 + T);
        assertThat(failures)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e)
                                        .isInstanceOf(ContainerWaitTimeoutException.class)
                                        .hasMessageContaining(
                                                "the TaskManagers of the jobs main() submits")
                                        .hasMessageContaining("and the driver's TaskManager"));
        assertThat(yarn.resourceManager.terminated).containsExactly(user.getResourceID());
    }

    @Test
    void taskManagersTakenOverAfterAFailoverCount() {
        YarnWorkerNode driver = worker(1);
        YarnWorkerNode user = worker(2);
        yarn.handler.onPreviousAttemptWorkersRecovered(List.of(driver, user));
        check.requestResource(USER);

        at(10 * T);
        assertThat(failures).as("held TaskManagers of unknown kind: jobs can run").isEmpty();

        check.workerRegistered(driver.getResourceID(), DRIVER.workerResourceSpec());
        check.workerRegistered(
                user.getResourceID(), WorkerResourceSpec.fromTaskExecutorProcessSpec(USER));
        at(20 * T);
        assertThat(failures).as("one for jobs is held").isEmpty();
        assertThat(yarn.resourceManager.recovered).containsExactly(driver, user);
    }

    @Test
    void aTakenOverDriverAloneStartsTheWaitOnceItRegistered() {
        YarnWorkerNode driver = worker(1);
        yarn.handler.onPreviousAttemptWorkersRecovered(List.of(driver));
        check.requestResource(USER);

        now = 5 * T;
        check.workerRegistered(driver.getResourceID(), DRIVER.workerResourceSpec());
        at(6 * T - 1);
        assertThat(failures).isEmpty();
        at(6 * T);
        assertThat(failures).hasSize(1);
    }

    private void at(long millis) {
        now = millis;
        check.check();
    }

    private static YarnWorkerNode grant(CompletableFuture<YarnWorkerNode> request, int id) {
        YarnWorkerNode worker = worker(id);
        request.complete(worker);
        return worker;
    }

    private static YarnWorkerNode worker(int id) {
        Container container =
                Container.newInstance(
                        ContainerId.newContainerId(ATTEMPT, id),
                        NodeId.newInstance("host", 1),
                        "host:2",
                        Resource.newInstance(1024, 1),
                        Priority.newInstance(1),
                        null);
        return new YarnWorkerNode(container, new ResourceID(container.getId().toString()));
    }

    /** Flink's YARN driver, as far as the check sees it. */
    private static final class FakeYarnDriver implements ResourceManagerDriver<YarnWorkerNode> {

        final RecordingResourceManager resourceManager = new RecordingResourceManager();
        ResourceEventHandler<YarnWorkerNode> handler;

        @Override
        public void initialize(
                ResourceEventHandler<YarnWorkerNode> resourceEventHandler,
                ScheduledExecutor mainThreadExecutor,
                Executor ioExecutor,
                BlockedNodeRetriever blockedNodeRetriever) {
            handler = resourceEventHandler;
        }

        @Override
        public void terminate() {}

        @Override
        public void deregisterApplication(ApplicationStatus finalStatus, String diagnostics) {}

        @Override
        public CompletableFuture<YarnWorkerNode> requestResource(TaskExecutorProcessSpec spec) {
            return new CompletableFuture<>();
        }

        @Override
        public void releaseResource(YarnWorkerNode worker) {}
    }

    private static final class RecordingResourceManager
            implements ResourceEventHandler<YarnWorkerNode> {

        final List<YarnWorkerNode> recovered = new ArrayList<>();
        final Queue<ResourceID> terminated = new ArrayDeque<>();

        @Override
        public void onPreviousAttemptWorkersRecovered(Collection<YarnWorkerNode> workers) {
            recovered.addAll(workers);
        }

        @Override
        public void onWorkerTerminated(ResourceID resourceId, String diagnostics) {
            terminated.add(resourceId);
        }

        @Override
        public void onError(Throwable exception) {}
    }

    /** The tests run the checks themselves. */
    private static final class NoScheduling implements ScheduledExecutor {

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return null;
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return null;
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(
                Runnable command, long initialDelay, long period, TimeUnit unit) {
            return null;
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(
                Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return null;
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    }
}
