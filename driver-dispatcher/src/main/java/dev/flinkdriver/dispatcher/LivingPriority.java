package dev.flinkdriver.dispatcher;

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
    DAEMON
}
