package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of the flink-driver client. */
public final class DriverClientOptions {

    private DriverClientOptions() {}

    public static final ConfigOption<Boolean> LOCAL_YARN_LIB_CACHE =
            ConfigOptions.key("driver.client.local-yarn-lib-cache")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "On the local YARN (bin/local-yarn), let YARN localise the"
                                    + " distribution's lib/ once and cache it across applications"
                                    + " (yarn.provided.lib.dirs on the localyarn:// file system)"
                                    + " instead of uploading it for every application. Ignored"
                                    + " when yarn.provided.lib.dirs is set.");
}
