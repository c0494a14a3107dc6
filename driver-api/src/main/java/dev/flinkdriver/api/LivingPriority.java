package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;

import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * How much a job keeps a driver application alive. The application lives while a DRIVER or NORMAL
 * job is pending or running; DAEMON jobs are cancelled when the last of those ends.
 */
public enum LivingPriority {
    /** The driver job, which runs the application's main(). */
    DRIVER,
    /** A job submitted by main(): the application waits for it. */
    NORMAL,
    /** A job submitted by main() that runs only as long as the application does. */
    DAEMON;

    /**
     * The living priority of a job main() submitted, from its job configuration ({@link
     * DriverOptions#JOB_LIVING_PRIORITY}): the one place that reads it, for the dispatcher, the
     * name mark and the client alike. Read as a string, case-insensitively: main() may have set its
     * own class loader's enum or any spelling. Such a job is never DRIVER; a missing, DRIVER or
     * invalid value makes it NORMAL.
     */
    public static LivingPriority ofSubmittedJob(Configuration jobConfiguration) {
        String value = jobConfiguration.toMap().get(DriverOptions.JOB_LIVING_PRIORITY.key());
        if (value == null) {
            return NORMAL;
        }
        try {
            LivingPriority priority = valueOf(value.trim().toUpperCase(Locale.ROOT));
            return priority == DAEMON ? DAEMON : NORMAL;
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(LivingPriority.class)
                    .warn(
                            "Invalid {}: '{}'; the job is NORMAL.",
                            DriverOptions.JOB_LIVING_PRIORITY.key(),
                            value);
            return NORMAL;
        }
    }
}
