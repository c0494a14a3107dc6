package dev.flinkdriver.sql;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.SqlParserEOFException;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.delegation.Parser;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flink's own SQL parser applied to a script: where its statements end, and which of them are not
 * Flink SQL. Used by the client to refuse a bad script before anything is deployed, and by the SQL
 * driver to split the script it runs.
 *
 * <p>Flink's {@link Parser} is internal API, but it is what Flink's SQL client and script executor
 * use; the public {@code TableEnvironment} only parses by executing.
 */
public final class SqlSyntax {

    /** Calcite's position of a parse error, e.g. {@code at line 3, column 10}. */
    private static final Pattern POSITION = Pattern.compile("at line (\\d+), column (\\d+)");

    private final Parser parser;

    public SqlSyntax(Parser parser) {
        this.parser = parser;
    }

    /** Of a table environment of its own, for syntax checks outside a program. */
    public static SqlSyntax standalone() {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        return new SqlSyntax(((TableEnvironmentInternal) tEnv).getParser());
    }

    /** A syntax error of one statement of a script, where the script has it. */
    public record SyntaxError(SqlStatement statement, int line, int column, String message) {}

    /** The script's statements, split where Flink's parser says they end. */
    public List<SqlStatement> statements(String script) {
        return SqlScriptSplitter.split(script, completeness());
    }

    /**
     * The first statement that is not Flink SQL. Statements that parse but name tables or functions
     * unknown yet pass: earlier statements of the script may create them when it runs.
     */
    public Optional<SyntaxError> firstSyntaxError(List<SqlStatement> statements) {
        for (SqlStatement statement : statements) {
            try {
                parser.parse(statement.padded());
            } catch (SqlParserException e) {
                return Optional.of(syntaxError(statement, e));
            } catch (RuntimeException e) {
                // Parsed, but not valid on an empty catalog; the script's run decides.
            }
        }
        return Optional.empty();
    }

    private Predicate<SqlStatement> completeness() {
        return statement -> {
            try {
                parser.parse(statement.padded());
                return true;
            } catch (SqlParserEOFException e) {
                return false; // e.g. a statement set, cut at one of its inner semicolons
            } catch (RuntimeException e) {
                return true; // complete, though not valid (yet): running it will tell
            }
        };
    }

    static SyntaxError syntaxError(SqlStatement statement, SqlParserException e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        String first = (nl < 0 ? message : message.substring(0, nl)).strip();
        first = first.replaceFirst("^SQL parse failed\\. ", "");
        Matcher m = POSITION.matcher(message);
        if (m.find()) {
            return new SyntaxError(
                    statement, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), first);
        }
        return new SyntaxError(statement, statement.line(), statement.column(), first);
    }
}
