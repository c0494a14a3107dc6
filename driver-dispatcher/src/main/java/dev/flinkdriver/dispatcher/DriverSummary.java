package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverDiagnosticsFormat;

import org.apache.flink.util.SerializedThrowable;

import javax.annotation.Nullable;

import java.util.HashSet;
import java.util.Set;

/** Formats the one-line summary of an ended driver application that YARN shows. */
public final class DriverSummary {

    private static final String SERIALIZED_THROWABLE_PREFIX =
            SerializedThrowable.class.getName() + ": ";

    private DriverSummary() {}

    /**
     * E.g. {@code flink-driver: application FAILED: 2 jobs finished, 1 failed, 0 cancelled, driver
     * restarted 0 times Cause: java.lang.IllegalStateException: boom}. "jobs" stays plural so that
     * the line is easy to parse.
     *
     * @param cause the failure of the driver job; its root cause is reported
     * @param driverRestarts how often the driver restarted after losing its TaskManager; -1 when
     *     unknown
     */
    public static String format(
            ApplicationOutcome outcome,
            JobCounts counts,
            @Nullable Throwable cause,
            int driverRestarts) {
        return format(outcome, counts, cause, driverRestarts, 0);
    }

    /**
     * As {@link #format(ApplicationOutcome, JobCounts, Throwable, int)}, plus {@code JobManager
     * failed over N times} after JobManager failovers (YARN attempts beyond the first).
     */
    public static String format(
            ApplicationOutcome outcome,
            JobCounts counts,
            @Nullable Throwable cause,
            int driverRestarts,
            int jobManagerFailovers) {
        StringBuilder summary =
                new StringBuilder(DriverDiagnosticsFormat.PREFIX)
                        .append(outcome.toApplicationStatus().name())
                        .append(": ")
                        .append(counts.getFinished())
                        .append(" jobs finished, ")
                        .append(counts.getFailed())
                        .append(" failed, ")
                        .append(counts.getCancelled())
                        .append(" cancelled");
        if (driverRestarts >= 0) {
            summary.append(", ").append(DriverDiagnosticsFormat.driverRestarts(driverRestarts));
        }
        if (jobManagerFailovers > 0) {
            summary.append(", ")
                    .append(DriverDiagnosticsFormat.jobManagerFailovers(jobManagerFailovers));
        }
        if (cause != null) {
            summary.append(" Cause: ").append(describe(rootCause(cause)));
        }
        return summary.toString();
    }

    /** The deepest cause, guarding against cycles. */
    static Throwable rootCause(Throwable throwable) {
        Set<Throwable> seen = new HashSet<>();
        Throwable current = throwable;
        while (current.getCause() != null && seen.add(current)) {
            current = current.getCause();
        }
        return current;
    }

    /** {@code <class>: <message>} of the original exception, also across serialization. */
    static String describe(Throwable throwable) {
        if (!(throwable instanceof SerializedThrowable)) {
            String message = throwable.getMessage();
            String className = throwable.getClass().getName();
            return message == null ? className : className + ": " + message;
        }
        // A SerializedThrowable's message is already "<original class>: <message>", once more
        // prefixed with its own class name when it wraps another SerializedThrowable.
        String message = throwable.getMessage();
        String className = ((SerializedThrowable) throwable).getOriginalErrorClassName();
        if (message == null) {
            return className;
        }
        while (message.startsWith(SERIALIZED_THROWABLE_PREFIX)) {
            message = message.substring(SERIALIZED_THROWABLE_PREFIX.length());
        }
        return message.startsWith(className) ? message : className + ": " + message;
    }
}
