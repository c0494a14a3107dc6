package dev.flinkdriver.dispatcher;

import org.apache.flink.api.common.JobID;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Turns the tracker's bookkeeping into a {@link ProgressEstimate}: it notes when each NORMAL job
 * was first seen running and how long the ended ones took. Called from the dispatcher's main thread
 * after every change the tracker records, so the times are those of the changes.
 */
final class ProgressRecorder {

    private final LongSupplier clock;

    private final Map<JobID, Long> runningSince = new HashMap<>();

    private int timedEnded;

    private long timedEndedMillis;

    ProgressRecorder(LongSupplier clock) {
        this.clock = checkNotNull(clock);
    }

    ProgressEstimate observe(LivingPriorityTracker tracker) {
        long now = clock.getAsLong();
        Map<JobID, Boolean> jobs = tracker.normalJobsEnded();
        // Superseded or rejected jobs are gone from the tracker: they never count.
        runningSince.keySet().retainAll(jobs.keySet());
        int ended = 0;
        long[] running = new long[jobs.size()];
        int runningCount = 0;
        for (Map.Entry<JobID, Boolean> job : jobs.entrySet()) {
            if (job.getValue()) {
                ended++;
                Long since = runningSince.remove(job.getKey());
                if (since != null) {
                    timedEnded++;
                    timedEndedMillis += Math.max(0, now - since);
                }
            } else {
                running[runningCount++] = runningSince.computeIfAbsent(job.getKey(), id -> now);
            }
        }
        long[] runningStarts = new long[runningCount];
        System.arraycopy(running, 0, runningStarts, 0, runningCount);
        return new ProgressEstimate(
                jobs.size(),
                ended,
                timedEnded,
                timedEndedMillis,
                runningStarts,
                tracker.mayStillSubmit());
    }
}
