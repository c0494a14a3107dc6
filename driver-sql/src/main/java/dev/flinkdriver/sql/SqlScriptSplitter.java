package dev.flinkdriver.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Splits a SQL script into statements at the semicolons outside quotes and comments, as Flink's SQL
 * client and its SqlDriver's script executor do; neither is public API or in lib/, hence this small
 * copy of their rules.
 *
 * <p>A semicolon may also sit inside one statement ({@code EXECUTE STATEMENT SET BEGIN INSERT ...;
 * INSERT ...; END;}): like Flink's script executor, the splitter asks Flink's parser whether the
 * text up to a semicolon is complete, and reads on to the next one when it is not.
 */
public final class SqlScriptSplitter {

    private enum State {
        NORMAL,
        SINGLE_QUOTE,
        DOUBLE_QUOTE,
        BACK_QUOTE,
        LINE_COMMENT,
        BLOCK_COMMENT
    }

    private SqlScriptSplitter() {}

    /**
     * The statements of {@code script}, in order; none when it holds only comments and blanks.
     *
     * @param complete whether a candidate ending at a semicolon is a whole statement (false only
     *     when the parser ran out of input)
     */
    public static List<SqlStatement> split(String script, Predicate<SqlStatement> complete) {
        List<SqlStatement> statements = new ArrayList<>();
        State state = State.NORMAL;
        int start = -1;
        int line = 1;
        int column = 1;
        int startLine = 0;
        int startColumn = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            char next = i + 1 < script.length() ? script.charAt(i + 1) : '\0';
            switch (state) {
                case NORMAL:
                    if (c == '-' && next == '-') {
                        state = State.LINE_COMMENT;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        // skip the '*', so that "/*/" does not close the comment at once
                        i++;
                        column++;
                    } else if (c == ';') {
                        if (start >= 0) {
                            SqlStatement candidate =
                                    new SqlStatement(
                                            script.substring(start, i + 1), startLine, startColumn);
                            if (complete.test(candidate)) {
                                statements.add(candidate);
                                start = -1;
                            }
                        }
                    } else if (!Character.isWhitespace(c)) {
                        if (start < 0) {
                            start = i;
                            startLine = line;
                            startColumn = column;
                        }
                        if (c == '\'') {
                            state = State.SINGLE_QUOTE;
                        } else if (c == '"') {
                            state = State.DOUBLE_QUOTE;
                        } else if (c == '`') {
                            state = State.BACK_QUOTE;
                        }
                    }
                    break;
                case SINGLE_QUOTE:
                    // '' inside a literal closes and reopens it: the same text, the same state.
                    state = c == '\'' ? State.NORMAL : state;
                    break;
                case DOUBLE_QUOTE:
                    state = c == '"' ? State.NORMAL : state;
                    break;
                case BACK_QUOTE:
                    state = c == '`' ? State.NORMAL : state;
                    break;
                case LINE_COMMENT:
                    state = c == '\n' ? State.NORMAL : state;
                    break;
                case BLOCK_COMMENT:
                    if (c == '*' && next == '/') {
                        state = State.NORMAL;
                        i++;
                        column++;
                    }
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        if (start >= 0) {
            // The last statement may go without its semicolon, as in Flink's SQL client.
            statements.add(
                    new SqlStatement(
                            script.substring(start).stripTrailing(), startLine, startColumn));
        }
        return statements;
    }
}
