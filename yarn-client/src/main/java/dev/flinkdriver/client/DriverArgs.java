package dev.flinkdriver.client;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the bare {@code -D} of driver mode and Flink's {@code -Dkey=value} live side by side.
 *
 * <p>commons-cli knows {@code D} only as the dynamic-property option with an argument, so a bare
 * {@code -D} either swallows the next token or, registered as a flag, turns every later {@code
 * -Dk=v} into program arguments. Rewriting the exact token {@code -D} (before the jar) to {@code
 * --driver} keeps both; a {@code -D} followed by {@code key=value} is Flink's {@code -D key=value}.
 */
final class DriverArgs {

    static final String DRIVER_LONG = "--driver";

    private DriverArgs() {}

    /** The arguments of {@code run} after the rewrite, and whether driver mode is on. */
    record Normalized(String[] args, boolean driverMode) {}

    /**
     * Rewrites a bare {@code -D} among the options (before the jar) to {@code --driver}, unless
     * {@code key=value} follows it; tokens from the jar on are program arguments and stay as they
     * are.
     */
    static Normalized normalize(String[] args, Options runOptions) {
        List<String> out = new ArrayList<>(args.length);
        boolean driverMode = false;
        boolean inOptions = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (inOptions) {
                if (a.equals("-D")
                        && i + 1 < args.length
                        && ClientCommandLine.isProperty(args[i + 1])) {
                    out.add(a); // Flink's -D key=value
                    out.add(args[++i]);
                    continue;
                }
                if (a.equals("-D") || a.equals(DRIVER_LONG)) {
                    out.add(DRIVER_LONG);
                    driverMode = true;
                    continue;
                }
                if (takesValue(a, runOptions) && i + 1 < args.length) {
                    out.add(a);
                    out.add(args[++i]);
                    continue;
                }
                if (!a.startsWith("-")) {
                    inOptions = false; // the jar: everything after it belongs to main()
                }
            }
            out.add(a);
        }
        return new Normalized(out.toArray(String[]::new), driverMode);
    }

    /**
     * Whether the token is an option of {@code run} that takes the next token as its value, as
     * Flink's own {@code run} options, its YARN command line's and driver mode's know it.
     */
    private static boolean takesValue(String token, Options runOptions) {
        if (!token.startsWith("-") || token.contains("=")) {
            return false;
        }
        Option option = runOptions.getOption(token);
        return option != null && option.hasArg();
    }
}
