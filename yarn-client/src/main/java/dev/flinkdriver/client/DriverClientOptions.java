package dev.flinkdriver.client;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

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

    /** When {@code flink-driver run} considers a new driver application deployed. */
    public enum ReturnWhen {
        /** YARN's scheduler has accepted the application into its queue. */
        ACCEPTED,
        /** The ApplicationMaster (the driver cluster's JobManager) runs. */
        RUNNING
    }

    public static final ConfigOption<ReturnWhen> RETURN_WHEN =
            ConfigOptions.key("driver.client.return-when")
                    .enumType(ReturnWhen.class)
                    .defaultValue(ReturnWhen.ACCEPTED)
                    .withDescription(
                            "When flink-driver run returns after deploying a new driver"
                                    + " application. ACCEPTED: as soon as YARN's scheduler has"
                                    + " accepted it; the client never needs the cluster, so it"
                                    + " does not wait for the JobManager to start, and a failure"
                                    + " after that shows in `flink-driver status` and YARN's"
                                    + " diagnostics. RUNNING: once the ApplicationMaster runs,"
                                    + " like Flink's own client; a JobManager that cannot start"
                                    + " is then reported by the client, which also removes the"
                                    + " application's staging files.");

    public static final ConfigOption<Duration> SUBMISSION_POLL_INTERVAL =
            ConfigOptions.key("driver.client.submission-poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "How often flink-driver run asks YARN's ResourceManager whether it"
                                    + " has taken in the application just submitted, which it"
                                    + " usually has within a few milliseconds. Sets Hadoop's"
                                    + " yarn.client.app-submission.poll-interval for the client"
                                    + " only and unless it is configured (Hadoop's 200 ms made"
                                    + " every run wait about 0.2 s).");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("driver.client.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How long every flink-driver command tries to reach YARN's"
                                    + " ResourceManager, or the REST endpoint of an existing Flink"
                                    + " cluster (-m, -yid), before it says that it cannot. Sets"
                                    + " Hadoop's yarn.resourcemanager.connect.max-wait.ms,"
                                    + " yarn.resourcemanager.connect.retry-interval.ms,"
                                    + " ipc.client.connect.timeout,"
                                    + " ipc.client.connect.max.retries and"
                                    + " ipc.client.connect.max.retries.on.timeouts, and Flink's"
                                    + " rest.connection-timeout, rest.retry.max-attempts and"
                                    + " rest.retry.delay, for the client only and unless they are"
                                    + " configured (Hadoop's defaults retry for up to 15 minutes,"
                                    + " Flink's for a minute).");
}
