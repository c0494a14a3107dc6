package dev.flinkdriver.api;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Settings of a driver application: what main() to run, and how its jobs are treated. */
public final class DriverOptions {

    private DriverOptions() {}

    public static final ConfigOption<String> MAIN_CLASS =
            ConfigOptions.key("driver.main-class")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Entry class of the application. Without it, the Main-Class of the"
                                    + " jar's manifest.");

    public static final ConfigOption<List<String>> PROGRAM_ARGS =
            ConfigOptions.key("driver.program-args")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription("Arguments passed to the application's main().");

    public static final ConfigOption<List<String>> LIB_JARS =
            ConfigOptions.key("driver.lib-jars")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Extra jars on the user class path of the driver and of its jobs.");

    public static final ConfigOption<LivingPriority> JOB_LIVING_PRIORITY =
            ConfigOptions.key("driver.job.living-priority")
                    .enumType(LivingPriority.class)
                    .defaultValue(LivingPriority.NORMAL)
                    .withDescription(
                            "Living priority of a job submitted by the driver: NORMAL jobs keep"
                                    + " the application alive until they end, DAEMON jobs are"
                                    + " cancelled once no DRIVER or NORMAL job is left. Set it in"
                                    + " the Configuration given to the job's execution"
                                    + " environment.");

    public static final ConfigOption<String> JOB_NAME_PREFIX =
            ConfigOptions.key("driver.job.name-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the names of the jobs main() submits. Default: the"
                                    + " application's name followed by ': '.");

    public static final ConfigOption<String> APPLICATION_NAME =
            ConfigOptions.key("driver.application-name")
                    .stringType()
                    .noDefaultValue()
                    .withFallbackKeys("yarn.application.name")
                    .withDescription(
                            "Name of the driver application, shown as the Flink application's and"
                                    + " the driver job's name. Default: the YARN application name,"
                                    + " else the main class.");

    public static final ConfigOption<Duration> STARTUP_TIMEOUT =
            ConfigOptions.key("driver.startup-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "How long the dispatcher waits for the cluster's REST endpoint address"
                                    + " and for the upload of the driver's jars before it fails"
                                    + " the application.");

    public static final ConfigOption<Duration> JOB_RESULT_POLL_MAX_INTERVAL =
            ConfigOptions.key("driver.job-result.poll-max-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "With driver.job-submission: REST (and for plans too large for"
                                    + " RPC), the driver waits for each job main() runs attached"
                                    + " (execute()) by polling the cluster's REST API for its"
                                    + " result, every 10 ms"
                                    + " at first, doubling up to this interval. Flink's client"
                                    + " doubles up to 2 s, which can add a second or more to"
                                    + " every execute() of a short job.");

    public static final ConfigOption<JobSubmission> JOB_SUBMISSION =
            ConfigOptions.key("driver.job-submission")
                    .enumType(JobSubmission.class)
                    .defaultValue(JobSubmission.RPC)
                    .withDescription(
                            "How the driver hands main()'s jobs to the cluster. RPC calls the"
                                    + " cluster's dispatcher directly, the way application mode's"
                                    + " main() does: the plan goes in one RPC message, the jars"
                                    + " straight to the blob server, and the dispatcher answers"
                                    + " execute() as soon as the job ends. The driver opens its"
                                    + " RPC connection once, while main() starts, on a port of"
                                    + " taskmanager.rpc.port. A plan larger than pekko.framesize"
                                    + " goes through the REST API instead, and so does every job"
                                    + " where that connection fails."
                                    + " REST submits every job through the cluster's REST API and"
                                    + " polls for its result (driver.job-result.poll-max-interval),"
                                    + " as Flink's remote client does. On an existing cluster"
                                    + " (-m host:port, -yid) the driver always uses REST.");

    /** See {@link #JOB_SUBMISSION}. */
    public enum JobSubmission {
        RPC,
        REST
    }

    public static final ConfigOption<Integer> DRIVER_RESTART_ATTEMPTS =
            ConfigOptions.key("driver.restart.attempts")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "How many times the driver job is restarted after it lost its"
                                    + " TaskManager (process killed, container lost or preempted,"
                                    + " heartbeat timeout). A restarted driver runs main() again"
                                    + " and is answered with the jobs the earlier attempts"
                                    + " submitted, so no job runs twice. A main() that throws or"
                                    + " calls System.exit is never restarted. 0 turns driver"
                                    + " restarts off. Independent of the restart strategy of the"
                                    + " jobs main() submits (restart-strategy.*). On an existing"
                                    + " cluster (-m host:port, -yid) the driver never restarts.");

    public static final ConfigOption<Duration> DRIVER_RESTART_DELAY =
            ConfigOptions.key("driver.restart.delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How long the driver job waits before it restarts, see "
                                    + "driver.restart.attempts.");
}
