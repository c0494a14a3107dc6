package dev.flinkdriver.api;

/**
 * The pieces of the diagnostics a driver application ends with on YARN, written by the JobManager
 * and read by users, the client and the tests: one place, so that they cannot drift apart.
 */
public final class DriverDiagnosticsFormat {

    /** Every diagnostics line flink-driver writes starts with this, then the final status. */
    public static final String PREFIX = "flink-driver: application ";

    private DriverDiagnosticsFormat() {}

    /** {@code 1 time}, {@code 0 times}, {@code 3 times}. */
    public static String times(int count) {
        return count + (count == 1 ? " time" : " times");
    }

    /** E.g. {@code driver restarted 1 time}. */
    public static String driverRestarts(int restarts) {
        return "driver restarted " + times(restarts);
    }

    /** E.g. {@code JobManager failed over 2 times}. */
    public static String jobManagerFailovers(int failovers) {
        return "JobManager failed over " + times(failovers);
    }
}
