package dev.flinkdriver.dispatcher;

import javax.annotation.Nullable;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * What the driver dispatcher tells YARN: the one-line diagnostics of the ended application and the
 * application's progress.
 *
 * <p>The dispatcher writes, the resource-manager driver reads (when it heartbeats and when it
 * unregisters the application); both may run on different threads, hence thread-safe. One instance
 * is shared by both, created by the entrypoint.
 *
 * <p>The dispatcher publishes a {@link ProgressEstimate} after every change; each read evaluates it
 * at that moment, so the progress moves between job ends, on every heartbeat.
 */
public final class DriverDiagnostics {

    private final LongSupplier clock;

    private volatile @Nullable String diagnostics;

    /** The other direction: the resource manager asks the dispatcher to fail the application. */
    private final FailureRequests failureRequests = new FailureRequests();

    private volatile ProgressEstimate estimate = ProgressEstimate.NOTHING;

    /** Bits of a double, so that the monotonic update can be a single compare-and-set. */
    private final AtomicLong progressBits = new AtomicLong(Double.doubleToLongBits(0.0));

    public DriverDiagnostics() {
        this(System::currentTimeMillis);
    }

    DriverDiagnostics(LongSupplier clock) {
        this.clock = checkNotNull(clock);
    }

    /**
     * The diagnostics for YARN, e.g. {@code flink-driver: application SUCCEEDED: 3 jobs finished, 0
     * failed, 0 cancelled}; null while the application has not ended.
     */
    @Nullable
    public String getDiagnostics() {
        return diagnostics;
    }

    public FailureRequests failureRequests() {
        return failureRequests;
    }

    /**
     * Progress between 0 and 1 ({@link ProgressEstimate}); it never moves backwards and is 1 once
     * (and only once) the application ended.
     */
    public double getProgress() {
        return raise(estimate.at(clock.getAsLong()));
    }

    /**
     * The application ended: YARN gets its summary and sees it complete. Progress first, so that
     * whoever sees the summary also sees the application complete.
     */
    void applicationEnded(String summary) {
        raise(1.0);
        this.diagnostics = checkNotNull(summary);
    }

    /** What the application has done now; from the dispatcher's main thread. */
    void updateProgress(ProgressEstimate update) {
        this.estimate = checkNotNull(update);
        getProgress();
    }

    LongSupplier clock() {
        return clock;
    }

    private double raise(double progress) {
        double bounded = Math.max(0.0, Math.min(1.0, progress));
        return Double.longBitsToDouble(
                progressBits.accumulateAndGet(
                        Double.doubleToLongBits(bounded),
                        (current, update) ->
                                Double.longBitsToDouble(update) > Double.longBitsToDouble(current)
                                        ? update
                                        : current));
    }
}
