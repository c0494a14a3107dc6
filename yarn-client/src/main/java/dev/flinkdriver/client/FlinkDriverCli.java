package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.security.SecurityUtils;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.TimeUtils;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bin/flink-driver}: Flink's CLI plus driver mode.
 *
 * <p>{@code run} with {@code -D}/{@code --driver} deploys a driver application; every other command
 * line goes to Flink's own {@link CliFrontend} unchanged. Exit codes: 0 success, 1 a failure after
 * the input was accepted, 2 bad input. Errors are one line on stderr; {@code --verbose} adds the
 * stack trace.
 */
public final class FlinkDriverCli {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkDriverCli.class);

    /** Flink's own actions, which go to Flink's CLI unchanged. */
    private static final Set<String> FLINK_ACTIONS =
            Set.of(
                    "run",
                    "info",
                    "list",
                    "cancel",
                    "stop",
                    "savepoint",
                    "checkpoint",
                    "-h",
                    "--help",
                    "-v",
                    "--version");

    private FlinkDriverCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] rawArgs, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
        boolean verbose = args.remove("--verbose");
        // Flink's deployment runs clean-up in threads of its own; their failures belong in the
        // log file, not on the user's terminal (stack traces only with --verbose).
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, e) -> {
                    LOG.warn("Uncaught in {}", thread.getName(), e);
                    if (verbose) {
                        e.printStackTrace(err);
                    }
                });
        // Filled once loaded, and read by the error message of an unreachable YARN.
        Configuration config = new Configuration();
        try {
            String confDir = CliFrontend.getConfigurationDirectoryFromEnv();
            config.addAll(GlobalConfiguration.loadConfiguration(confDir));
            ClientCommandLine commandLine =
                    ClientCommandLine.parse(
                            args, () -> DriverRunCommand.runOptions(config, confDir));
            ClientLogin.install(config, commandLine.properties());
            return SecurityUtils.getInstalledContext()
                    .runSecured(
                            () -> {
                                ClientLogin.requireCredentials(config, args);
                                return dispatch(commandLine, args, config, confDir, out, err);
                            });
        } catch (Throwable t) {
            LOG.error("flink-driver failed", t);
            // The security context may wrap what the command threw.
            Optional<CliException> cliError = ExceptionUtils.findThrowable(t, CliException.class);
            Optional<ConnectException> unreachable =
                    ExceptionUtils.findThrowable(t, ConnectException.class);
            String message =
                    cliError.map(Throwable::getMessage)
                            .or(() -> unreachable.map(e -> unreachableYarn(e, config)))
                            .orElseGet(() -> DriverRunCommand.rootMessage(t));
            err.println("flink-driver: " + message);
            if (verbose) {
                t.printStackTrace(err);
            }
            return cliError.map(CliException::exitCode).orElse(CliException.FAILURE);
        }
    }

    private static int dispatch(
            ClientCommandLine commandLine,
            List<String> args,
            Configuration config,
            String confDir,
            PrintStream out,
            PrintStream err)
            throws Exception {
        String action = commandLine.action();
        String[] params = commandLine.params();
        // -Dkey=value of the commands of driver mode (e.g. a keytab), as run takes them.
        Configuration own = new Configuration(config);
        own.addAll(commandLine.properties());
        String[] ownParams = commandLine.ownParams();
        switch (action) {
            case "status":
                return new StatusCommand(own, out).run(ownParams);
            case "logs":
                return new LogsCommand(own, out).run(ownParams);
            case "list":
                if (CommandArgs.isOwn(ownParams, CommandArgs.ALL, CommandArgs.OUTPUT)) {
                    return new ListCommand(own, out).run(ownParams);
                }
                break; // with -m, -yid, -r, ...: Flink's own list of a cluster's jobs
            case "cancel":
                if (isYarnApplicationId(ownParams)) {
                    return new CancelCommand(own, confDir, workDir(), out).run(ownParams);
                }
                break; // a Flink job id: Flink's own cancel
            case "savepoint":
            case "stop":
                if (ApplicationSavepointCommand.isApplicationCommand(params)) {
                    return new ApplicationSavepointCommand(config, out, action.equals("stop"))
                            .run(params);
                }
                break; // a Flink job id: Flink's own savepoint or stop of one job
            default:
                break;
        }
        if (action.equals("run")) {
            DriverArgs.Normalized normalized = commandLine.run();
            if (normalized.driverMode()) {
                return new DriverRunCommand(config, confDir, workDir(), out, err)
                        .run(normalized.args());
            }
        }
        if (!FLINK_ACTIONS.contains(action)) {
            throw CliException.usage(
                    (action.isEmpty() ? "No action" : "Unknown action '" + action + "'")
                            + "; actions: run, status, logs, list, cancel, info, stop, savepoint,"
                            + " checkpoint (flink-driver run --help for options)");
        }
        // Not driver mode: exactly Flink's `flink` command.
        return new CliFrontend(config, CliFrontend.loadCustomCommandLines(config, confDir))
                .parseAndRun(args.toArray(String[]::new));
    }

    private static String unreachableYarn(ConnectException e, Configuration config) {
        String m = String.valueOf(e.getMessage());
        int details = m.indexOf("; For more details");
        return "Cannot reach YARN's ResourceManager at "
                + YarnClients.configuration(config).get(YarnConfiguration.RM_ADDRESS)
                + " within "
                + TimeUtils.formatWithHighestUnit(config.get(DriverClientOptions.CONNECT_TIMEOUT))
                + " ("
                + (details > 0 ? m.substring(0, details) : m)
                + "). A ResourceManager that restarts answers again once it is back (running"
                + " applications keep running meanwhile): try again then. Otherwise set"
                + " HADOOP_CONF_DIR to your cluster's configuration, or start bin/local-yarn.";
    }

    private static boolean isYarnApplicationId(String[] params) {
        return params.length > 0 && params[params.length - 1].startsWith("application_");
    }

    /**
     * Client-side scratch space (archives being uploaded, staging on a local file system): the
     * distribution's {@code var/}, or {@code FLINK_DRIVER_WORK_DIR}, so that tests keep their state
     * apart from the user's applications.
     */
    private static Path workDir() {
        String workDir = System.getenv("FLINK_DRIVER_WORK_DIR");
        if (workDir != null && !workDir.isBlank()) {
            return Path.of(workDir);
        }
        String home = System.getenv("FLINK_DRIVER_HOME");
        return (home != null ? Path.of(home) : Path.of(System.getProperty("user.dir")))
                .resolve("var");
    }
}
