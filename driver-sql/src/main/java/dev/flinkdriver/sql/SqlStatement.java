package dev.flinkdriver.sql;

/**
 * One statement of a SQL script: its text from its first token to its terminating semicolon, and
 * where that first token stands in the script (1-based).
 */
public record SqlStatement(String sql, int line, int column) {

    /**
     * The statement preceded by as many line breaks and spaces as came before it in the script, so
     * that the positions Flink's parser reports ("at line 7, column 3") are the script's own.
     */
    public String padded() {
        return "\n".repeat(line - 1) + " ".repeat(column - 1) + sql;
    }

    /** The statement's first line, which names it in messages and diagnostics. */
    public String firstLine() {
        int nl = sql.indexOf('\n');
        return (nl < 0 ? sql : sql.substring(0, nl)).strip();
    }
}
