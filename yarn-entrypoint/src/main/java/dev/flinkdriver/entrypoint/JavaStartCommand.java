package dev.flinkdriver.entrypoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of the Java start commands Flink's YARN deployment gives its containers: they begin
 * with its start command template's {@code %java%}. Where flink-driver adds JVM options to them.
 */
final class JavaStartCommand {

    /** How Flink's YARN start command template begins ({@code %java%}). */
    static final String JAVA = "$JAVA_HOME/bin/java ";

    private JavaStartCommand() {}

    static boolean isJava(String command) {
        return command.startsWith(JAVA);
    }

    /** {@code command} with {@code options} first among its JVM options. */
    static String withJvmOptions(String command, String options) {
        return command.replaceFirst(
                Pattern.quote(JAVA), Matcher.quoteReplacement(JAVA + options + " "));
    }
}
