package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

import java.util.Map;

/**
 * The driver job's own restart strategy, kept apart from the strategy of the jobs main() submits.
 *
 * <p>Flink reads a job's restart strategy from its job configuration, and the driver job's
 * configuration is also the configuration main() runs with. So the user's {@code
 * restart-strategy.*} settings travel under {@link DriverOptions#PROGRAM_SETTING_PREFIX} in the
 * driver job and are put back for main().
 */
public final class DriverRestartStrategy {

    private static final String RESTART_STRATEGY_PREFIX = "restart-strategy.";

    private DriverRestartStrategy() {}

    /**
     * Sets the driver's strategy on the driver job's configuration, which holds the user's settings
     * too.
     *
     * @param restarts how many times the driver may restart; 0 for never
     */
    public static void applyTo(Configuration driverJobConfiguration, int restarts) {
        for (Map.Entry<String, String> entry : driverJobConfiguration.toMap().entrySet()) {
            if (entry.getKey().startsWith(RESTART_STRATEGY_PREFIX)) {
                driverJobConfiguration.removeKey(entry.getKey());
                driverJobConfiguration.setString(
                        DriverInternalOptions.PROGRAM_SETTING_PREFIX + entry.getKey(),
                        entry.getValue());
            }
        }
        if (restarts <= 0) {
            driverJobConfiguration.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
            return;
        }
        driverJobConfiguration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        driverJobConfiguration.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
        driverJobConfiguration.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                driverJobConfiguration.get(DriverOptions.DRIVER_RESTART_DELAY));
    }

    /** Gives main()'s configuration the user's restart settings back, and drops the driver's. */
    public static void restoreProgramSettings(Configuration programConfiguration) {
        for (Map.Entry<String, String> entry : programConfiguration.toMap().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(RESTART_STRATEGY_PREFIX)) {
                programConfiguration.removeKey(key);
            }
        }
        for (Map.Entry<String, String> entry : programConfiguration.toMap().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(DriverInternalOptions.PROGRAM_SETTING_PREFIX)) {
                programConfiguration.removeKey(key);
                programConfiguration.setString(
                        key.substring(DriverInternalOptions.PROGRAM_SETTING_PREFIX.length()),
                        entry.getValue());
            }
        }
    }
}
