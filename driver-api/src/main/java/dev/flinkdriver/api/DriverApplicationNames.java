package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;

/**
 * How a driver application is named where its user gave no name: the one rule the client (the YARN
 * application's name) and the JobManager (the Flink application's and the driver job's name, and so
 * the prefix of every job main() submits) follow.
 */
public final class DriverApplicationNames {

    /** Where not even the main class is known (the jar's manifest names it). */
    static final String UNNAMED = "Flink Driver";

    private DriverApplicationNames() {}

    /** E.g. {@code Flink Driver: com.acme.Main} or {@code Flink Driver: orders.sql}. */
    public static String of(String mainClassOrScript) {
        return UNNAMED + ": " + mainClassOrScript;
    }

    /**
     * The name a driver configuration gives: {@link DriverOptions#APPLICATION_NAME} (which falls
     * back to the YARN application's name), else {@link #of(String)} of its main class.
     */
    public static String of(Configuration driverConfiguration) {
        return driverConfiguration
                .getOptional(DriverOptions.APPLICATION_NAME)
                .or(
                        () ->
                                driverConfiguration
                                        .getOptional(DriverOptions.MAIN_CLASS)
                                        .map(DriverApplicationNames::of))
                .orElse(UNNAMED);
    }
}
