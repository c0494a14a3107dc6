package dev.flinkdriver.entrypoint;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a driver application waits in vain for YARN: for longer than the timeout, containers of
 * one kind (the driver's TaskManager, or TaskManagers for the jobs main() submits) were requested
 * and none of that kind was granted or held. That is how a full queue looks from inside: YARN
 * counts only the JobManager against the queue's ApplicationMaster limit, so applications can fill
 * a queue with their JobManagers and one TaskManager each and wait for each other.
 *
 * <p>A wait starts with a request while the application holds no container of the kind, ends with a
 * container granted, and survives a request withdrawn and made again (a job that fails for want of
 * slots and restarts) unless no request was pending for longer than the timeout. A container held
 * stops counting once it ends, given back or lost with its node. Containers taken over from an
 * earlier attempt or leadership are of no known kind until their TaskManager registers: until then
 * they count as held of either kind, so that no wait fails an application that holds TaskManagers.
 * Not thread-safe: the resource manager's main thread drives it.
 */
final class ContainerWait {

    /** What a TaskManager container is for. */
    enum Kind {
        DRIVER("the driver's TaskManager"),
        USER("the TaskManagers of the jobs main() submits");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /** A wait that has lasted for the timeout. */
    record Starved(Kind kind, long sinceMillis, int pending, int heldOfOtherKind) {}

    private final long timeoutMillis;

    private final Map<Kind, State> states = new EnumMap<>(Kind.class);

    private final Map<Object, Kind> held = new HashMap<>();

    /** Containers taken over whose kind is not known yet. */
    private final Set<Object> heldOfUnknownKind = new HashSet<>();

    /**
     * @param timeout how long a wait may last; zero for ever
     */
    ContainerWait(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        for (Kind kind : Kind.values()) {
            states.put(kind, new State());
        }
    }

    void requested(Kind kind, long nowMillis) {
        State s = states.get(kind);
        if (s.pending == 0 && s.idleSince != null && nowMillis - s.idleSince > timeoutMillis) {
            s.waitingSince = null;
        }
        s.idleSince = null;
        s.pending++;
        if (s.waitingSince == null && heldOf(kind) == 0) {
            s.waitingSince = nowMillis;
        }
    }

    /** A requested container was granted; {@code container} identifies it for {@link #released}. */
    void granted(Kind kind, Object container) {
        State s = states.get(kind);
        s.pending = Math.max(0, s.pending - 1);
        s.waitingSince = null;
        held.put(container, kind);
    }

    void withdrawn(Kind kind, long nowMillis) {
        State s = states.get(kind);
        s.pending = Math.max(0, s.pending - 1);
        if (s.pending == 0) {
            s.idleSince = nowMillis;
        }
    }

    /** A container taken over from an earlier attempt or leadership, of a kind not known yet. */
    void recovered(Object container) {
        if (!held.containsKey(container)) {
            heldOfUnknownKind.add(container);
        }
        for (State s : states.values()) {
            s.waitingSince = null;
        }
    }

    /** The TaskManager in a taken-over container registered: its kind is known. */
    void identified(Object container, Kind kind, long nowMillis) {
        if (heldOfUnknownKind.remove(container)) {
            held.put(container, kind);
            startWaitsWhereNoneHeld(nowMillis);
        }
    }

    /** A held container ended: given back to YARN, or lost (its node, its process). */
    void released(Object container, long nowMillis) {
        if (held.remove(container) != null || heldOfUnknownKind.remove(container)) {
            startWaitsWhereNoneHeld(nowMillis);
        }
    }

    private void startWaitsWhereNoneHeld(long nowMillis) {
        for (Kind kind : Kind.values()) {
            State s = states.get(kind);
            if (s.pending > 0 && s.waitingSince == null && heldOf(kind) == 0) {
                s.waitingSince = nowMillis;
            }
        }
    }

    /** The longest wait that has lasted for the timeout, if any. */
    Optional<Starved> starved(long nowMillis) {
        if (timeoutMillis <= 0) {
            return Optional.empty();
        }
        Starved longest = null;
        for (Kind kind : Kind.values()) {
            State s = states.get(kind);
            if (s.pending > 0
                    && s.waitingSince != null
                    && heldOf(kind) == 0
                    && nowMillis - s.waitingSince >= timeoutMillis
                    && (longest == null || s.waitingSince < longest.sinceMillis())) {
                longest = new Starved(kind, s.waitingSince, s.pending, heldOf(other(kind)));
            }
        }
        return Optional.ofNullable(longest);
    }

    private int heldOf(Kind kind) {
        return (int) held.values().stream().filter(kind::equals).count() + heldOfUnknownKind.size();
    }

    private static Kind other(Kind kind) {
        return kind == Kind.DRIVER ? Kind.USER : Kind.DRIVER;
    }

    private static final class State {
        int pending;
        @Nullable Long waitingSince;
        @Nullable Long idleSince;
    }
}
