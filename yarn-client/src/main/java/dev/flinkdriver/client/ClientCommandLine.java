package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliArgsException;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.configuration.Configuration;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The command line of {@code bin/flink-driver}, parsed once, for both who read its dynamic
 * properties: the client's login ({@link ClientLogin}, before anything talks to YARN) and the
 * command.
 *
 * <p>{@code run} takes {@code -Dkey=value}, {@code -D key=value} and {@code -yD key=value} among
 * its options, read by the parser {@code run} itself uses (Flink's, with run's options, after
 * {@link DriverArgs} turned a bare {@code -D} into {@code --driver}); from the program on, every
 * argument is main()'s. Driver mode's other commands take the same spellings anywhere among their
 * arguments ({@code -yDkey=value}, which Flink's parser does not know, is none of them).
 *
 * @param action the first argument
 * @param params the arguments after the action, as given
 * @param properties the dynamic properties, {@code -D} over {@code -yD}
 * @param ownParams {@code params} without the dynamic properties (for commands other than run)
 * @param run for {@code run}: its arguments with driver mode's bare {@code -D} rewritten
 */
record ClientCommandLine(
        String action,
        String[] params,
        Configuration properties,
        String[] ownParams,
        @Nullable DriverArgs.Normalized run) {

    /**
     * Parses {@code args}; {@code runOptions} (every option of {@code run}) is asked for only when
     * the action is run.
     */
    static ClientCommandLine parse(List<String> args, Supplier<Options> runOptions) {
        String action = args.isEmpty() ? "" : args.get(0);
        String[] params = args.stream().skip(1).toArray(String[]::new);
        if (action.equals("run")) {
            Options options = runOptions.get();
            DriverArgs.Normalized run = DriverArgs.normalize(params, options);
            return new ClientCommandLine(
                    action, params, runProperties(run.args(), options), params, run);
        }
        Configuration properties = new Configuration();
        Configuration yarnProperties = new Configuration();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            String p = params[i];
            String property = null;
            boolean yarnProperty = p.equals("-yD");
            if ((p.equals("-D") || yarnProperty) && i + 1 < params.length) {
                if (isProperty(params[i + 1])) {
                    property = params[++i];
                }
            } else if (p.startsWith("-D")) {
                property = p.substring(2);
            }
            if (property != null && isProperty(property)) {
                int eq = property.indexOf('=');
                (yarnProperty ? yarnProperties : properties)
                        .setString(property.substring(0, eq), property.substring(eq + 1));
            } else {
                rest.add(p);
            }
        }
        yarnProperties.addAll(properties); // -D over -yD, as for run
        return new ClientCommandLine(
                action, params, yarnProperties, rest.toArray(String[]::new), null);
    }

    /**
     * Whether {@code token} reads as {@code key=value}: a key before the {@code =}, no option, no
     * path (so that {@code -D /apps/build=7/app.jar} stays driver mode and its jar).
     */
    static boolean isProperty(String token) {
        int eq = token.indexOf('=');
        return eq > 0 && !token.startsWith("-") && token.lastIndexOf('/', eq) < 0;
    }

    /**
     * The -yD and -D properties of run's options as run's own parser reads them; none if the
     * options do not parse (run then reports what is wrong with them).
     */
    private static Configuration runProperties(String[] normalized, Options runOptions) {
        Configuration properties = new Configuration();
        CommandLine cl;
        try {
            cl =
                    CliFrontendParser.parse(
                            runOptions, PythonSubmission.withAliases(normalized), true);
        } catch (CliArgsException e) {
            return properties;
        }
        for (String option : List.of("yD", "D")) {
            if (runOptions.hasOption(option)) {
                Properties p = cl.getOptionProperties(option);
                p.stringPropertyNames().forEach(k -> properties.setString(k, p.getProperty(k)));
            }
        }
        return properties;
    }
}
