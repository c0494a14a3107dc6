package dev.flinkdriver.client;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

import java.util.List;

/**
 * The options of status, list and cancel, parsed by Commons CLI like those of run; anything else is
 * a usage error.
 */
record CommandArgs(List<String> positional, CommandLine commandLine) {

    static final Option WAIT =
            Option.builder()
                    .longOpt("wait")
                    .desc("Block until the application ends; exit 0 only for SUCCEEDED.")
                    .build();
    static final Option ALL =
            Option.builder().longOpt("all").desc("Ended applications too.").build();
    static final Option OUTPUT =
            Option.builder()
                    .longOpt("output")
                    .hasArg()
                    .argName("json|text")
                    .desc("Output format.")
                    .build();

    static CommandArgs parse(String[] args, Option... known) throws CliException {
        CommandLine cl;
        try {
            cl = parser().parse(options(known), args);
        } catch (UnrecognizedOptionException e) {
            throw CliException.usage("Unknown option " + e.getOption());
        } catch (MissingArgumentException e) {
            throw CliException.usage("--" + e.getOption().getLongOpt() + " needs a value");
        } catch (ParseException e) {
            throw CliException.usage(e.getMessage());
        }
        String output = cl.getOptionValue(OUTPUT.getLongOpt());
        if (output != null && !output.equals("json") && !output.equals("text")) {
            throw CliException.usage("--output must be json or text, not " + output);
        }
        return new CommandArgs(cl.getArgList(), cl);
    }

    /**
     * Whether these arguments are driver mode's own (only the known options, no positional): a
     * command line of Flink's same-named action (list -m, list -r, ...) is not.
     */
    static boolean isOwn(String[] args, Option... known) {
        try {
            return parser().parse(options(known), args).getArgList().isEmpty();
        } catch (MissingArgumentException e) {
            return true; // ours, and an error the command will report
        } catch (ParseException e) {
            return false;
        }
    }

    boolean has(Option option) {
        return commandLine.hasOption(option.getLongOpt());
    }

    boolean json() {
        return "json".equals(commandLine.getOptionValue(OUTPUT.getLongOpt()));
    }

    private static Options options(Option... known) {
        Options options = new Options();
        for (Option o : known) {
            options.addOption(o);
        }
        return options;
    }

    private static DefaultParser parser() {
        // "--a" must not pass for "--all": these commands take few options, and exact ones.
        return DefaultParser.builder().setAllowPartialMatching(false).build();
    }
}
