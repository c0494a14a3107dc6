package dev.flinkdriver.it;

import java.util.regex.Pattern;

/**
 * Reads flink-driver's log lines through the SLF4J templates their producers log them with, so that
 * a reworded line fails to compile or match here instead of silently matching nothing.
 */
final class LogLines {

    private static final String PLACEHOLDER = "{}";

    private LogLines() {}

    /**
     * A regular expression for a line logged with {@code template}: its text literally, each {@code
     * {}} replaced by the matching regular expression of {@code arguments}.
     */
    static String pattern(String template, String... arguments) {
        String[] parts = template.split(Pattern.quote(PLACEHOLDER), -1);
        if (parts.length - 1 != arguments.length) {
            throw new IllegalArgumentException(
                    (parts.length - 1)
                            + " placeholders in '"
                            + template
                            + "', "
                            + arguments.length
                            + " arguments");
        }
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 0; i < arguments.length; i++) {
            regex.append(arguments[i]).append(Pattern.quote(parts[i + 1]));
        }
        return regex.toString();
    }

    /** The text of {@code template} before its first argument, found in every such line. */
    static String prefix(String template) {
        int placeholder = template.indexOf(PLACEHOLDER);
        return placeholder < 0 ? template : template.substring(0, placeholder);
    }
}
