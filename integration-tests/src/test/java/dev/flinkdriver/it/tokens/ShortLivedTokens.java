package dev.flinkdriver.it.tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens this JVM received, in order, each with when it arrived. Loaded from the cluster's
 * class path, so the user-code class loader of main() (child-first, but without its own copy of
 * this class) reads the same instance the TaskManager's receiver writes.
 */
public final class ShortLivedTokens {

    /** A token and when it arrived here (epoch milliseconds). */
    public record Arrival(long arrivedAt, ShortLivedToken token) {

        /** {@code <arrivedAt> <issuer> <serial> <validUntil>}. */
        @Override
        public String toString() {
            return arrivedAt + " " + token;
        }
    }

    private static final List<Arrival> ARRIVALS = new ArrayList<>();

    private ShortLivedTokens() {}

    static synchronized void arrived(ShortLivedToken token) {
        ARRIVALS.add(new Arrival(System.currentTimeMillis(), token));
    }

    /** Every token received so far, oldest first. */
    public static synchronized List<Arrival> arrivals() {
        return List.copyOf(ARRIVALS);
    }
}
