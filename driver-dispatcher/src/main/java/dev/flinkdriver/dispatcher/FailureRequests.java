package dev.flinkdriver.dispatcher;

import javax.annotation.Nullable;

import java.util.function.Consumer;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Failures of the application decided outside the dispatcher, by the resource manager, which sees
 * what YARN grants: the dispatcher ends the application FAILED with them, as with a failed driver.
 * Thread-safe; a failure requested before the dispatcher listens is handed over once it does.
 */
public final class FailureRequests {

    private @Nullable Consumer<Throwable> listener;

    private @Nullable Throwable pending;

    /** Asks the dispatcher to end the application FAILED with this cause. */
    public synchronized void request(Throwable cause) {
        checkNotNull(cause);
        if (listener != null) {
            listener.accept(cause);
        } else if (pending == null) {
            pending = cause;
        }
    }

    /** The dispatcher's listener; it must hand the cause over to its own thread. */
    synchronized void listen(Consumer<Throwable> failApplication) {
        listener = checkNotNull(failApplication);
        if (pending != null) {
            Throwable cause = pending;
            pending = null;
            listener.accept(cause);
        }
    }
}
