package dev.flinkdriver.sql;

/**
 * A statement of the script failed. It carries no cause on purpose: the driver's YARN diagnostics
 * show the deepest cause of main()'s failure, and this one names the statement and its cause's
 * message; the cause itself goes to the driver's log.
 */
public final class SqlStatementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SqlStatementException(String script, SqlStatement statement, Throwable cause) {
        super(
                "SQL statement at line "
                        + statement.line()
                        + " of "
                        + script
                        + " failed: "
                        + statement.firstLine()
                        + " -- "
                        + describe(cause));
    }

    /** The outermost and the deepest cause, first lines only: the one-line diagnostics. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = oneLine(cause);
        return root == cause ? outer : outer + "; caused by " + oneLine(root);
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getName();
        }
        int nl = message.indexOf('\n');
        return t.getClass().getName() + ": " + (nl < 0 ? message : message.substring(0, nl));
    }
}
