package dev.flinkdriver.api;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Names passed between the processes of a driver application (client, JobManager, driver task)
 * through job and cluster configurations, as Flink's {@code YarnConfigKeys} are between its YARN
 * processes. Set by flink-driver itself; none is a user setting, so none is in the option
 * reference.
 */
public final class DriverInternalOptions {

    private DriverInternalOptions() {}

    /**
     * The driver job's configuration is also main()'s configuration. The user's {@code
     * restart-strategy.*} settings travel under this prefix, so that the driver job's own strategy
     * never reaches the jobs main() submits.
     */
    public static final String PROGRAM_SETTING_PREFIX = "driver.internal.program.";

    public static final ConfigOption<String> JAR =
            ConfigOptions.key("driver.jar")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Path of the application jar as the ApplicationMaster sees it. Set by"
                                    + " the flink-driver client.");

    public static final ConfigOption<String> APPLICATION_ID =
            ConfigOptions.key("driver.internal.application-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The Flink application id of the driver, carried by every"
                                    + " job its main() submits so that the dispatcher adds the"
                                    + " job to the driver's application.");

    public static final ConfigOption<String> DISPATCHER_ADDRESS =
            ConfigOptions.key("driver.internal.dispatcher-address")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "RPC address of the dispatcher that runs the driver job, set"
                                    + " by that dispatcher. The driver submits main()'s jobs there"
                                    + " (driver.job-submission: RPC).");

    public static final ConfigOption<String> DISPATCHER_ID =
            ConfigOptions.key("driver.internal.dispatcher-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Fencing token (leader session id) of that dispatcher; RPC"
                                    + " calls with another token are refused, so a driver never"
                                    + " submits to a dispatcher that is no longer the leader.");

    public static final ConfigOption<String> REST_ADDRESS =
            ConfigOptions.key("driver.internal.rest-address")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Base URL (e.g. http://host:8081) of the cluster's REST"
                                    + " endpoint. The driver submits main()'s jobs there, since a"
                                    + " TaskManager does not know the REST port the cluster bound.");

    public static final ConfigOption<String> JAR_BLOB_KEY =
            ConfigOptions.key("driver.internal.jar-blob-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Blob key of the application jar, which lets the driver task"
                                    + " tell it apart from the library jars on its class path.");

    public static final ConfigOption<Integer> JOB_POSITION =
            ConfigOptions.key("driver.internal.job-position")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "The position of a job among the jobs main() submitted"
                                    + " (1 for the first). A restarted driver's job at the same"
                                    + " position is answered with the earlier attempt's job.");

    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("driver.internal.job-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The name main() gave a job, before the driver prefixed it: an"
                                    + " application savepoint records it for the job's position,"
                                    + " and a restore compares it with the name of the job main()"
                                    + " submits there.");

    public static final ConfigOption<String> APPLICATION_SAVEPOINT =
            ConfigOptions.key("driver.internal.application-savepoint")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The directory of the application savepoint the driver restores"
                                    + " main()'s jobs from, each from the savepoint recorded for"
                                    + " its position. Set by the flink-driver client for run -D -s"
                                    + " <application savepoint>.");

    public static final ConfigOption<Boolean> JOB_COLLECTS_TO_DRIVER =
            ConfigOptions.key("driver.internal.job-collects-to-driver")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "The job sends its rows to main() (collect(),"
                                    + " executeAndCollect(), TableResult.collect()/print()). Rows a"
                                    + " lost driver already read cannot be replayed, so a"
                                    + " restarted driver runs such a job again.");

    public static final ConfigOption<Boolean> MANAGE_JOBS =
            ConfigOptions.key("driver.internal.manage-jobs")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "The driver task itself follows the jobs main() submits, for"
                                    + " a cluster without the driver dispatcher (an existing"
                                    + " session cluster): a main() that throws cancels them; after"
                                    + " main() returns the driver waits for its NORMAL jobs, then"
                                    + " cancels its DAEMON jobs. Set by the flink-driver client.");

    public static final ConfigOption<Integer> JOBMANAGER_ATTEMPT =
            ConfigOptions.key("driver.internal.jobmanager-attempt")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Which YARN application attempt runs this JobManager (1"
                                    + " for the first). Set by the ApplicationMaster; attempt n"
                                    + " means the application survived n - 1 JobManager"
                                    + " failovers.");

    public static final ConfigOption<Integer> JOBMANAGER_LEADERSHIP =
            ConfigOptions.key("driver.internal.jobmanager-leadership")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Which leadership of its JobManager's process runs the driver job (1"
                                    + " for the first). Set by the dispatcher on the driver job; a"
                                    + " JobManager that lost its ZooKeeper session and regained"
                                    + " leadership in the same process runs the next one.");
}
