package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

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

    public static final ConfigOption<Boolean> CLOSING_ATTEMPT =
            ConfigOptions.key("driver.client.closing-attempt")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Ask YARN for one application attempt more than"
                                    + " yarn.application-attempts, when YARN's"
                                    + " yarn.resourcemanager.am.max-attempts leaves room for it."
                                    + " That closing attempt starts no JobManager: it ends the"
                                    + " application FAILED with diagnostics saying that the"
                                    + " JobManager was lost (and how to survive it), removes the"
                                    + " staging directory and high-availability data, and YARN"
                                    + " stops the lost attempt's TaskManagers. Without it, a"
                                    + " JobManager lost on the last attempt leaves only YARN's"
                                    + " own diagnostics (the container's exit code).");

    public static final ConfigOption<Duration> LOCAL_YARN_ZOOKEEPER_SESSION_TIMEOUT =
            ConfigOptions.key("driver.client.local-yarn.zookeeper-session-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription(
                            "On the local YARN (bin/local-yarn) with high availability, the"
                                    + " high-availability.zookeeper.client.session-timeout the"
                                    + " client sets when the user sets none. A lost JobManager's"
                                    + " leadership lasts until its ZooKeeper session expires, so"
                                    + " Flink's default (60 s) makes every JobManager failover"
                                    + " wait a minute; shorter sessions fail over sooner but"
                                    + " revoke leadership when a JobManager cannot reach"
                                    + " ZooKeeper for about two thirds of the timeout (a long GC"
                                    + " pause, a stalled machine), which costs a recovery. 0"
                                    + " keeps Flink's default.");
}
