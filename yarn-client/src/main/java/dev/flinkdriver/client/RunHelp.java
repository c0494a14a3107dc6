package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliFrontendParser;

import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Collection;

/** {@code flink-driver run --help}: every option, grouped as common, driver and YARN. */
final class RunHelp {

    private RunHelp() {}

    static void print(PrintStream out, Options customCommandLineOptions) {
        out.println(
                "Usage: flink-driver run [OPTIONS] <jar-file> <arguments>\n"
                        + "       flink-driver run -D [OPTIONS] --sql <script.sql>\n"
                        + "       flink-driver run -D [OPTIONS] -py <script.py> | -pym <module>"
                        + " [arguments]   (--mod <module> is -pym)\n"
                        + "  A bare -D (or --driver) turns on driver mode; -Dkey=value stays a"
                        + " dynamic property.\n");
        Options common = CliFrontendParser.getRunCommandOptions();
        Options driver = DriverCliOptions.addTo(new Options());
        Options yarn = new Options();
        for (Option o : (Collection<Option>) customCommandLineOptions.getOptions()) {
            if (!common.hasOption(o.getOpt() != null ? o.getOpt() : o.getLongOpt())) {
                yarn.addOption(o);
            }
        }
        section(out, "Common options (as in flink run):", common);
        section(out, "Driver options:", driver);
        section(out, "YARN and deployment options:", yarn);
    }

    private static void section(PrintStream out, String title, Options options) {
        out.println(title);
        HelpFormatter f = new HelpFormatter();
        f.setSyntaxPrefix("");
        f.setWidth(110);
        f.setLeftPadding(3);
        PrintWriter w = new PrintWriter(out, true);
        f.printOptions(w, 110, options, 3, 3);
        w.flush();
        out.println();
    }
}
