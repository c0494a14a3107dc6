package dev.flinkdriver.driver;

import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The driver's own bookkeeping of the jobs main() submitted, for a cluster without the
 * DriverDispatcher (an existing session cluster, see {@link DriverInternalOptions#MANAGE_JOBS}):
 * cancels them when main() fails, and after main() returned waits for the NORMAL ones before it
 * cancels the DAEMON ones. Only jobs this driver submitted are ever touched; every wait is bounded
 * per round.
 */
final class DriverJobTracker implements DriverExecutorServiceLoader.SubmissionListener {

    private static final Logger LOG = LoggerFactory.getLogger(DriverJobTracker.class);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final Duration requestTimeout;

    private final Duration cancelTimeout;

    private final List<TrackedJob> jobs = new CopyOnWriteArrayList<>();

    DriverJobTracker(Duration requestTimeout, Duration cancelTimeout) {
        this.requestTimeout = requestTimeout;
        this.cancelTimeout = cancelTimeout;
    }

    @Override
    public void submitted(Pipeline pipeline, CompletableFuture<JobClient> jobClient) {
        LivingPriority priority = livingPriorityOf(pipeline);
        TrackedJob job = new TrackedJob(priority, jobClient);
        jobs.add(job);
        jobClient.thenAccept(
                client ->
                        LOG.info(
                                "Driver follows job {} with living priority {}.",
                                client.getJobID(),
                                priority));
    }

    List<JobID> jobIds() {
        List<JobID> ids = new ArrayList<>();
        for (TrackedJob job : jobs) {
            JobClient client = job.clientNow();
            if (client != null) {
                ids.add(client.getJobID());
            }
        }
        return ids;
    }

    /** main() failed: cancel every job it submitted that is still running, and wait a while. */
    void cancelAll() {
        // A cancelled driver task arrives here interrupted; the cancellations must still go out.
        boolean interrupted = Thread.interrupted();
        try {
            cancel(jobs);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** main() returned: wait for the NORMAL jobs to end, then cancel the DAEMON jobs. */
    void awaitNormalJobsThenCancelDaemons() throws InterruptedException {
        List<TrackedJob> normal = new ArrayList<>();
        List<TrackedJob> daemons = new ArrayList<>();
        for (TrackedJob job : jobs) {
            (job.priority == LivingPriority.DAEMON ? daemons : normal).add(job);
        }
        for (TrackedJob job : normal) {
            JobClient client = job.clientNow();
            if (client == null) {
                continue; // its submission failed: main() saw that itself
            }
            while (!isTerminal(client)) {
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
        if (!daemons.isEmpty()) {
            LOG.info("main() and its NORMAL jobs ended; cancelling its DAEMON jobs.");
            cancel(daemons);
        }
    }

    private void cancel(List<TrackedJob> toCancel) {
        List<JobClient> cancelled = new ArrayList<>();
        for (TrackedJob job : toCancel) {
            JobClient client = job.client(cancelTimeout);
            if (client == null || isTerminal(client)) {
                continue;
            }
            LOG.info("Cancelling job {} of the driver.", client.getJobID());
            try {
                client.cancel().get(cancelTimeout.toMillis(), TimeUnit.MILLISECONDS);
                cancelled.add(client);
            } catch (Exception e) {
                LOG.warn("Could not cancel job {}.", client.getJobID(), e);
            }
        }
        long deadline = System.nanoTime() + cancelTimeout.toNanos();
        for (JobClient client : cancelled) {
            try {
                while (!isTerminal(client) && System.nanoTime() < deadline) {
                    Thread.sleep(POLL_INTERVAL.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Globally terminal, or no longer known to the cluster; a failed request counts as running. */
    private boolean isTerminal(JobClient client) {
        try {
            JobStatus status =
                    client.getJobStatus().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return status.isGloballyTerminalState();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            if (ExceptionUtils.findThrowableWithMessage(e, "Could not find Flink job").isPresent()
                    || ExceptionUtils.findThrowableWithMessage(e, "FlinkJobNotFoundException")
                            .isPresent()) {
                return true;
            }
            LOG.debug("Could not get the status of job {}.", client.getJobID(), e);
            return false;
        }
    }

    static LivingPriority livingPriorityOf(Pipeline pipeline) {
        if (!(pipeline instanceof StreamGraph)) {
            return LivingPriority.NORMAL;
        }
        return LivingPriority.ofSubmittedJob(((StreamGraph) pipeline).getJobConfiguration());
    }

    private static final class TrackedJob {
        final LivingPriority priority;
        final CompletableFuture<JobClient> client;

        TrackedJob(LivingPriority priority, CompletableFuture<JobClient> client) {
            this.priority = priority;
            this.client = client;
        }

        JobClient clientNow() {
            return client.isDone() && !client.isCompletedExceptionally()
                    ? client.getNow(null)
                    : null;
        }

        /** Waits a bounded time for a submission still under way. */
        JobClient client(Duration timeout) {
            try {
                return client.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception e) {
                return null;
            }
        }
    }
}
