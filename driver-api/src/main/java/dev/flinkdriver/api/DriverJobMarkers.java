package dev.flinkdriver.api;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.dispatcher.DispatcherId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The markers flink-driver writes into a job's configuration, and the only place that reads and
 * writes them ({@link DriverInternalOptions} names the keys):
 *
 * <ul>
 *   <li>every job of the driver application carries the application's id: a job the driver's main()
 *       submits, so that the dispatcher adds it to the driver application (the REST handler drops
 *       the plan's own application id), and the driver job, whose configuration is also the
 *       cluster's, so that every JobManager attempt runs the same application;
 *   <li>a job main() submitted carries its position among main()'s jobs, and whether it sends its
 *       rows to main(): a restarted driver's job at a known position is answered with the earlier
 *       one;
 *   <li>the driver job carries the dispatcher that runs it and that dispatcher's JobManager
 *       attempt: the driver submits main()'s jobs there, and derives the ids of its reruns from the
 *       attempt.
 * </ul>
 */
public final class DriverJobMarkers {

    private static final Logger LOG = LoggerFactory.getLogger(DriverJobMarkers.class);

    private DriverJobMarkers() {}

    // ------------------------------------------------------------------------
    //  The application id
    // ------------------------------------------------------------------------

    public static void setApplicationId(Configuration configuration, ApplicationID applicationId) {
        configuration.set(DriverInternalOptions.APPLICATION_ID, applicationId.toHexString());
    }

    public static boolean hasApplicationId(Configuration configuration) {
        return configuration.contains(DriverInternalOptions.APPLICATION_ID);
    }

    /**
     * The application id flink-driver itself set (the cluster's, the driver job's).
     *
     * @throws IllegalArgumentException if it is no application id
     */
    public static Optional<ApplicationID> applicationId(Configuration configuration) {
        return configuration
                .getOptional(DriverInternalOptions.APPLICATION_ID)
                .map(DriverJobMarkers::parseApplicationId);
    }

    /**
     * The application a submitted job claims to belong to. Any client may send any configuration:
     * an invalid claim is logged and ignored, and the job runs in an application of its own.
     */
    public static Optional<ApplicationID> claimedApplicationId(
            JobID jobId, Configuration jobConfiguration) {
        try {
            return applicationId(jobConfiguration);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "Job {} has an invalid {}: {}.",
                    jobId,
                    DriverInternalOptions.APPLICATION_ID.key(),
                    jobConfiguration.get(DriverInternalOptions.APPLICATION_ID));
            return Optional.empty();
        }
    }

    private static ApplicationID parseApplicationId(String hex) {
        try {
            return ApplicationID.fromHexString(hex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    DriverInternalOptions.APPLICATION_ID.key() + " is no application id: " + hex,
                    e);
        }
    }

    // ------------------------------------------------------------------------
    //  Jobs main() submitted
    // ------------------------------------------------------------------------

    /**
     * Marks a job main() submitted as part of the driver application.
     *
     * @param position the job's position among main()'s jobs, 1 for the first
     * @param collectsToDriver the job sends its rows to main()
     */
    public static void markSubmittedJob(
            Configuration jobConfiguration,
            ApplicationID applicationId,
            int position,
            boolean collectsToDriver) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        setApplicationId(jobConfiguration, applicationId);
        jobConfiguration.set(DriverInternalOptions.JOB_POSITION, position);
        jobConfiguration.set(DriverInternalOptions.JOB_COLLECTS_TO_DRIVER, collectsToDriver);
    }

    /** The name main() gave the job, before the driver prefixed it. */
    public static void setJobName(Configuration jobConfiguration, String name) {
        jobConfiguration.set(DriverInternalOptions.JOB_NAME, checkNotNull(name));
    }

    /** The name main() gave the job; empty for a job main() did not submit. */
    public static Optional<String> jobName(Configuration jobConfiguration) {
        return jobConfiguration.getOptional(DriverInternalOptions.JOB_NAME);
    }

    /** The job's position among main()'s jobs; empty for a job main() did not submit. */
    public static OptionalInt position(Configuration jobConfiguration) {
        Integer position = jobConfiguration.get(DriverInternalOptions.JOB_POSITION);
        return position == null ? OptionalInt.empty() : OptionalInt.of(position);
    }

    public static boolean collectsToDriver(Configuration jobConfiguration) {
        return jobConfiguration.get(DriverInternalOptions.JOB_COLLECTS_TO_DRIVER);
    }

    // ------------------------------------------------------------------------
    //  The driver job
    // ------------------------------------------------------------------------

    /**
     * Tells the driver to restore main()'s jobs from the application savepoint in {@code
     * directory}, each from the savepoint recorded for its position ({@link ApplicationSavepoint}).
     */
    public static void setApplicationSavepoint(
            Configuration driverConfiguration, String directory) {
        driverConfiguration.set(DriverInternalOptions.APPLICATION_SAVEPOINT, directory);
    }

    /** The application savepoint main()'s jobs restore from; empty for none. */
    public static Optional<String> applicationSavepoint(Configuration driverConfiguration) {
        return driverConfiguration.getOptional(DriverInternalOptions.APPLICATION_SAVEPOINT);
    }

    /**
     * Tells the driver job which dispatcher runs it, and under which JobManager attempt: written by
     * that dispatcher whenever it runs the driver job, submitted or recovered from an earlier
     * JobManager (whose endpoint and attempt the job then still carries).
     */
    public static void markDriverJob(
            Configuration driverJobConfiguration,
            DispatcherEndpoint dispatcher,
            int jobManagerAttempt) {
        markDriverJob(driverJobConfiguration, dispatcher, jobManagerAttempt, 1);
    }

    /**
     * As {@link #markDriverJob(Configuration, DispatcherEndpoint, int)}, under the given leadership
     * of the JobManager's process: a JobManager that regained leadership runs a new dispatcher with
     * a new fencing token.
     */
    public static void markDriverJob(
            Configuration driverJobConfiguration,
            DispatcherEndpoint dispatcher,
            int jobManagerAttempt,
            int leadership) {
        checkNotNull(dispatcher);
        checkArgument(
                jobManagerAttempt > 0, "JobManager attempts start at 1: %s", jobManagerAttempt);
        checkArgument(leadership > 0, "Leaderships start at 1: %s", leadership);
        driverJobConfiguration.set(DriverInternalOptions.JOBMANAGER_ATTEMPT, jobManagerAttempt);
        driverJobConfiguration.set(DriverInternalOptions.JOBMANAGER_LEADERSHIP, leadership);
        driverJobConfiguration.set(DriverInternalOptions.DISPATCHER_ADDRESS, dispatcher.address());
        driverJobConfiguration.set(
                DriverInternalOptions.DISPATCHER_ID, dispatcher.id().toUUID().toString());
    }

    /** Empty for a driver job that no DriverDispatcher runs (an existing cluster). */
    public static Optional<DispatcherEndpoint> dispatcher(Configuration driverJobConfiguration) {
        Optional<String> address =
                driverJobConfiguration.getOptional(DriverInternalOptions.DISPATCHER_ADDRESS);
        Optional<String> id =
                driverJobConfiguration.getOptional(DriverInternalOptions.DISPATCHER_ID);
        if (address.isEmpty() || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new DispatcherEndpoint(
                        address.get(), DispatcherId.fromUuid(UUID.fromString(id.get()))));
    }

    /** The YARN attempt of the JobManager that runs the driver job, 1 for the first. */
    public static int jobManagerAttempt(Configuration driverJobConfiguration) {
        return driverJobConfiguration.get(DriverInternalOptions.JOBMANAGER_ATTEMPT);
    }

    /** The leadership of the JobManager's process that runs the driver job, 1 for the first. */
    public static int jobManagerLeadership(Configuration driverJobConfiguration) {
        return driverJobConfiguration.get(DriverInternalOptions.JOBMANAGER_LEADERSHIP);
    }
}
