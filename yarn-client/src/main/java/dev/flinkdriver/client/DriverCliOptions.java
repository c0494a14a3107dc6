package dev.flinkdriver.client;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.util.List;

/** The options driver mode adds to {@code flink run}. */
final class DriverCliOptions {

    static final Option DRIVER =
            Option.builder()
                    .longOpt("driver")
                    .desc(
                            "Driver mode (also a bare -D): run main() inside the cluster as a"
                                    + " driver job; the client deploys and exits.")
                    .build();
    // Each flag's meaning lives in the option it sets (docs/options.md); the help names it.
    static final Option HEAP =
            memoryOption(
                    "driverheapmemory",
                    "Task heap memory of the driver (MB).",
                    DriverResourceOptions.HEAP_MEMORY);
    static final Option DIRECT =
            memoryOption(
                    "driverdirectmemory",
                    "Direct (off-heap) memory of the driver (MB).",
                    DriverResourceOptions.DIRECT_MEMORY);
    static final Option NATIVE =
            memoryOption(
                    "drivernativememory",
                    "Native memory the driver's main() may use (MB).",
                    DriverResourceOptions.NATIVE_MEMORY);
    static final Option CPUS =
            Option.builder()
                    .longOpt("drivercpus")
                    .hasArg()
                    .argName("cores")
                    .desc(sets("CPU cores of the driver.", DriverResourceOptions.CPUS))
                    .build();
    static final Option LIB_JARS =
            Option.builder()
                    .longOpt("libjars")
                    .hasArg()
                    .argName("jar,jar")
                    .desc(
                            sets(
                                    "Extra jars on the user class path of the driver and of its"
                                            + " jobs.",
                                    DriverOptions.LIB_JARS))
                    .build();
    static final Option FILES =
            Option.builder()
                    .longOpt("file")
                    .hasArg()
                    .argName("file,file")
                    .desc("Files shipped with the application, readable from main() and tasks.")
                    .build();

    static final Option SQL =
            Option.builder()
                    .longOpt("sql")
                    .hasArg()
                    .argName("script.sql")
                    .desc(
                            "Run a SQL script as the driver instead of a jar: its statements in"
                                    + " order, each DML statement's job part of the application.")
                    .build();

    private DriverCliOptions() {}

    static Options addTo(Options options) {
        for (Option o : List.of(DRIVER, HEAP, DIRECT, NATIVE, CPUS, LIB_JARS, FILES, SQL)) {
            options.addOption(o);
        }
        return options;
    }

    /** Applies the driver's resource flags; they win over -D/-yD and config.yaml. */
    static void applyResources(CommandLine cl, Configuration configuration) throws CliException {
        applyMemory(cl, HEAP, configuration, DriverResourceOptions.HEAP_MEMORY.key(), false);
        applyMemory(cl, DIRECT, configuration, DriverResourceOptions.DIRECT_MEMORY.key(), true);
        applyMemory(cl, NATIVE, configuration, DriverResourceOptions.NATIVE_MEMORY.key(), true);
        if (cl.hasOption(CPUS.getLongOpt())) {
            String value = cl.getOptionValue(CPUS.getLongOpt());
            double cpus;
            try {
                cpus = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw CliException.usage("--drivercpus: '" + value + "' is not a number");
            }
            if (!(cpus > 0) || Double.isInfinite(cpus)) {
                throw CliException.usage("--drivercpus: must be greater than 0, got " + value);
            }
            configuration.set(DriverResourceOptions.CPUS, cpus);
        }
    }

    private static void applyMemory(
            CommandLine cl, Option option, Configuration configuration, String key, boolean zeroOk)
            throws CliException {
        String name = option.getLongOpt();
        if (!cl.hasOption(name)) {
            return;
        }
        String value = cl.getOptionValue(name);
        long mb;
        try {
            mb = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw CliException.usage("--" + name + ": '" + value + "' is not a number of MB");
        }
        if (mb < 0 || (!zeroOk && mb == 0)) {
            throw CliException.usage(
                    "--" + name + ": must be " + (zeroOk ? "0 or more" : "more than 0") + " MB");
        }
        configuration.setString(key, MemorySize.ofMebiBytes(mb).toString());
    }

    private static Option memoryOption(String name, String description, ConfigOption<?> sets) {
        return Option.builder()
                .longOpt(name)
                .hasArg()
                .argName("MB")
                .desc(sets(description, sets))
                .build();
    }

    private static String sets(String description, ConfigOption<?> option) {
        return description + " Sets " + option.key() + ".";
    }
}
