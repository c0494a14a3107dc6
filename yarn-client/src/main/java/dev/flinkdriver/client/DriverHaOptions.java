package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How the flink-driver client treats JobManager failover (YARN application attempts). */
public final class DriverHaOptions {

    private DriverHaOptions() {}

    public static final ConfigOption<Boolean> ALLOW_RERUNS_WITHOUT_HA =
            ConfigOptions.key("driver.client.allow-reruns-without-ha")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Accept yarn.application-attempts > 1 without high availability."
                                    + " Without HA nothing of the lost JobManager's state"
                                    + " survives: YARN's next attempt runs main() from the start"
                                    + " and every job of the application again, including the"
                                    + " ones that had finished. Off by default: the client then"
                                    + " refuses such a configuration (exit 2) and says how to"
                                    + " turn high availability on.");
}
