package dev.flinkdriver.dispatcher;

import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Tells YARN, through {@link DriverDiagnostics}, how far the driver application got and how it
 * ended ({@link DriverSummary}). Called from the dispatcher's main thread.
 */
final class DriverReporter {

    private static final Logger LOG = LoggerFactory.getLogger(DriverReporter.class);

    private final DriverDiagnostics diagnostics;

    private final ProgressRecorder progress;

    /** YARN attempts of the JobManager beyond the first. */
    private final int jobManagerFailovers;

    /**
     * @param jobManagerAttempt the YARN application attempt running this JobManager, 1 for the
     *     first
     */
    DriverReporter(DriverDiagnostics diagnostics, int jobManagerAttempt) {
        this.diagnostics = checkNotNull(diagnostics);
        this.progress = new ProgressRecorder(diagnostics.clock());
        this.jobManagerFailovers = jobManagerAttempt - 1;
    }

    void progress(LivingPriorityTracker tracker) {
        diagnostics.updateProgress(progress.observe(tracker));
    }

    /**
     * Publishes the summary of the ended application and returns it.
     *
     * @param driverJob the driver job's execution graph; null when it is not known (any more)
     */
    String ended(
            ApplicationOutcome outcome,
            LivingPriorityTracker tracker,
            @Nullable ExecutionGraphInfo driverJob) {
        String summary =
                DriverSummary.format(
                                outcome,
                                tracker.getJobCounts(),
                                tracker.getFailureCause(),
                                driverJob == null ? -1 : driverRestarts(driverJob),
                                jobManagerFailovers)
                        + tracker.getStoppedWith()
                                .map(path -> ". Stopped with application savepoint " + path)
                                .orElse("");
        LOG.info("{}", summary);
        diagnostics.applicationEnded(summary);
        return summary;
    }

    /** The driver job has one task: its attempt number counts the restarts. */
    static int driverRestarts(ExecutionGraphInfo driverJob) {
        int restarts = 0;
        for (AccessExecutionVertex vertex :
                driverJob.getArchivedExecutionGraph().getAllExecutionVertices()) {
            restarts = Math.max(restarts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return restarts;
    }
}
