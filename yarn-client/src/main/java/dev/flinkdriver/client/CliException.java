package dev.flinkdriver.client;

/** A problem the user can fix: printed as one line on stderr, with its own exit code. */
public final class CliException extends Exception {

    /** Exit code of bad input: unknown or invalid options, missing files. */
    public static final int USAGE = 2;

    /** Exit code of a failure after the input was accepted, e.g. YARN refused the application. */
    public static final int FAILURE = 1;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
