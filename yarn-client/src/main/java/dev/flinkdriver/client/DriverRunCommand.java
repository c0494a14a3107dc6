package dev.flinkdriver.client;

import dev.flinkdriver.api.ApplicationSavepoint;
import dev.flinkdriver.api.DriverApplicationNames;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.client.cli.CliArgsException;
import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.CustomCommandLine;
import org.apache.flink.client.cli.ExecutionConfigAccessor;
import org.apache.flink.client.cli.ProgramOptions;
import org.apache.flink.client.deployment.ClusterDeploymentException;
import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.ProgramInvocationException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.DeploymentOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnLogConfigUtil;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code flink-driver run -D ...}: validates the input, deploys a driver cluster to YARN and
 * returns as soon as YARN has accepted it ({@link DriverClientOptions#RETURN_WHEN}). Nothing is
 * deployed when the input is bad.
 */
final class DriverRunCommand {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRunCommand.class);

    static final String TAG = "flink-driver";

    private final Configuration flinkConfig;
    private final String confDir;
    private final Path workDir;
    private final PrintStream out;
    private final PrintStream err;

    DriverRunCommand(
            Configuration flinkConfig,
            String confDir,
            Path workDir,
            PrintStream out,
            PrintStream err) {
        this.flinkConfig = flinkConfig;
        this.confDir = confDir;
        this.workDir = workDir;
        this.out = out;
        this.err = err;
    }

    /**
     * Every option of {@code run}: Flink's own, its custom command lines' (the YARN {@code -y...}
     * options) and driver mode's.
     */
    static Options runOptions(Configuration flinkConfig, String confDir) {
        return CliFrontendParser.mergeOptions(
                DriverCliOptions.addTo(CliFrontendParser.getRunCommandOptions()),
                new CliFrontend(
                                flinkConfig,
                                CliFrontend.loadCustomCommandLines(flinkConfig, confDir))
                        .getCustomCommandLineOptions());
    }

    int run(String[] args) throws Exception {
        List<CustomCommandLine> clis = CliFrontend.loadCustomCommandLines(flinkConfig, confDir);
        CliFrontend frontend = new CliFrontend(flinkConfig, clis);
        Options options = DriverCliOptions.addTo(CliFrontendParser.getRunCommandOptions());
        CommandLine cl;
        try {
            cl = frontend.getCommandLine(options, PythonSubmission.withAliases(args), true);
        } catch (CliArgsException e) {
            throw CliException.usage(e.getMessage());
        }
        if (cl.hasOption("h")) {
            RunHelp.print(out, frontend.getCustomCommandLineOptions());
            return 0;
        }
        if (cl.hasOption(CliFrontendParser.DETACHED_OPTION.getOpt())) {
            throw CliException.usage(
                    "-d/--detached cannot be combined with driver mode (-D/--driver): a driver"
                            + " application never needs its client");
        }
        boolean sql = cl.hasOption(DriverCliOptions.SQL.getLongOpt());
        ProgramOptions programOptions;
        try {
            programOptions = ProgramOptions.create(cl);
            if (!sql) {
                programOptions.validate(); // requires a jar
            }
        } catch (CliArgsException e) {
            throw CliException.usage(e.getMessage());
        }
        if (programOptions.getJarFilePath() != null
                && programOptions.getJarFilePath().startsWith("-")) {
            // commons-cli stops at the first unknown option and takes it for the jar.
            throw CliException.usage("Unknown option " + programOptions.getJarFilePath());
        }
        if (sql) {
            if (programOptions.getJarFilePath() != null) {
                throw CliException.usage(
                        "--sql runs a SQL script instead of a jar; remove "
                                + programOptions.getJarFilePath());
            }
            SqlScriptSubmission script =
                    SqlScriptSubmission.prepare(
                            cl.getOptionValue(DriverCliOptions.SQL.getLongOpt()),
                            workDir.resolve("tmp"));
            try {
                return run(
                        clis,
                        frontend,
                        cl,
                        programOptions,
                        script.launcherJar(),
                        SqlScriptSubmission.mainClass(),
                        script.programArgs(),
                        script.script());
            } finally {
                script.delete();
            }
        }
        if (PythonSubmission.isPython(programOptions)) {
            // No jar: the flink-python jar takes its place (PythonSubmission).
            return run(clis, frontend, cl, programOptions, null, null, null, null);
        }
        PythonSubmission.refuseWithJar(cl);
        Path jar = existingFile(programOptions.getJarFilePath(), "application jar");
        requireJar(jar);
        return run(clis, frontend, cl, programOptions, jar, null, null, null);
    }

    /**
     * Deploys {@code jar}; with {@code sqlScript}, the SQL driver's launcher jar, its main class
     * and arguments, and the script to ship.
     */
    private int run(
            List<CustomCommandLine> clis,
            CliFrontend frontend,
            CommandLine cl,
            ProgramOptions programOptions,
            Path jar,
            String sqlMainClass,
            List<String> sqlArgs,
            Path sqlScript)
            throws Exception {
        Optional<org.apache.flink.core.fs.Path> applicationSavepoint =
                applicationSavepoint(programOptions.getSavepointRestoreSettings().getRestorePath());
        List<Path> libJars = files(cl.getOptionValue(DriverCliOptions.LIB_JARS.getLongOpt()));
        List<Path> shipped = files(cl.getOptionValue(DriverCliOptions.FILES.getLongOpt()));
        if (sqlScript != null) {
            shipped.add(sqlScript);
        }

        Configuration effective = effectiveConfiguration(clis, frontend, cl, programOptions);
        DriverCliOptions.applyResources(cl, effective);
        applicationSavepoint.ifPresent(dir -> restoreFrom(effective, dir));
        shipFiles(effective, shipped);
        // No jar: a Python program, whose application jar is the flink-python jar.
        PythonSubmission python = jar == null ? preparePython(cl, programOptions, effective) : null;
        if (python != null) {
            jar = python.pythonJar();
        }
        String mainClass =
                python != null
                        ? PythonSubmission.PYTHON_DRIVER
                        : sqlScript != null
                                ? sqlMainClass
                                : mainClass(jar, programOptions, effective);
        List<String> programArgs =
                python != null
                        ? python.programArgs()
                        : sqlScript != null
                                ? sqlArgs
                                : Arrays.asList(programOptions.getProgramArgs());

        if (sqlScript != null && !effective.contains(YarnConfigOptions.APPLICATION_NAME)) {
            effective.set(
                    YarnConfigOptions.APPLICATION_NAME,
                    DriverApplicationNames.of(sqlScript.getFileName().toString()));
        }
        if (isExistingCluster(cl, effective)) {
            // A SQL script travels in its launcher jar: no file is shipped to such a cluster.
            return new ExistingClusterSubmission(effective, out)
                    .submit(
                            cl.getOptionValue(CliFrontendParser.ADDRESS_OPTION.getOpt()),
                            jar,
                            libJars,
                            mainClass,
                            programArgs);
        }
        JobManagerSizing.applyToNewCluster(cl, effective, err);
        return deployNewCluster(effective, jar, libJars, mainClass, programArgs, python);
    }

    /** Checks and rewrites the Python options; refuses a cluster that cannot get the files. */
    private static PythonSubmission preparePython(
            CommandLine cl, ProgramOptions programOptions, Configuration effective)
            throws CliException {
        if (isExistingCluster(cl, effective)) {
            throw CliException.usage(
                    "A Python program runs as the driver of a cluster of its own (-m"
                            + " yarn-cluster, the default): -m <host:port> and -yid cannot"
                            + " ship its files and the flink-python jar");
        }
        PythonSubmission python =
                PythonSubmission.prepare(
                        cl, programOptions, effective, ApplicationArchive.LINK_NAME);
        if (!effective.contains(YarnConfigOptions.APPLICATION_NAME)) {
            effective.set(
                    YarnConfigOptions.APPLICATION_NAME,
                    DriverApplicationNames.of(python.programName()));
        }
        return python;
    }

    /**
     * conf/config.yaml and the settings of {@code cl}, a command line of {@link #runOptions},
     * merged as {@link #run} merges them before it adds the driver's resources, restore settings
     * and shipped files (which size no JobManager).
     */
    Configuration effectiveConfiguration(CommandLine cl) throws Exception {
        List<CustomCommandLine> clis = CliFrontend.loadCustomCommandLines(flinkConfig, confDir);
        try {
            return effectiveConfiguration(
                    clis, new CliFrontend(flinkConfig, clis), cl, ProgramOptions.create(cl));
        } catch (CliArgsException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private Configuration effectiveConfiguration(
            List<CustomCommandLine> clis,
            CliFrontend frontend,
            CommandLine cl,
            ProgramOptions programOptions)
            throws Exception {
        Configuration effective = new Configuration(flinkConfig);
        // The YARN options (-yjm, -ytm, -ys, -yqu, -ynm, -yD, ...) apply whatever -m says.
        for (CustomCommandLine c : clis) {
            if (c.getId().equals("yarn-cluster")) {
                try {
                    effective.addAll(c.toConfiguration(cl));
                } catch (IllegalArgumentException e) {
                    throw CliException.usage(firstLine(e)); // e.g. a malformed -yid
                }
            }
        }
        CustomCommandLine active = frontend.validateAndGetActiveCommandLine(cl);
        if (!active.getId().equals("yarn-cluster")) {
            effective.addAll(active.toConfiguration(cl));
        }
        // -Dkey=value, for whichever command line is active.
        cl.getOptionProperties("D").forEach((k, v) -> effective.setString((String) k, (String) v));
        ExecutionConfigAccessor.fromProgramOptions(programOptions, List.of())
                .applyToConfiguration(effective);
        YarnAclOptions.applyDeprecatedKeys(effective);
        effective.set(DeploymentOptions.ATTACHED, true);
        return effective;
    }

    private String mainClass(Path jar, ProgramOptions programOptions, Configuration effective)
            throws CliException {
        // Built here only to fail fast on a missing or wrong main class; main() runs remotely.
        try (PackagedProgram program =
                PackagedProgram.newBuilder()
                        .setJarFile(jar.toFile())
                        .setEntryPointClassName(programOptions.getEntryPointClassName())
                        .setUserClassPaths(programOptions.getClasspaths())
                        .setConfiguration(effective)
                        .build()) {
            return program.getMainClassName();
        } catch (ProgramInvocationException e) {
            throw CliException.usage(firstLine(e));
        }
    }

    private static void requireJar(Path jar) throws CliException {
        try (java.util.jar.JarFile ignored = new java.util.jar.JarFile(jar.toFile())) {
            // readable as a jar
        } catch (java.io.IOException e) {
            throw CliException.usage("The application jar " + jar + " is not a jar file");
        }
    }

    /**
     * The application savepoint {@code -s} names, validated here: a missing savepoint, or a
     * manifest this version cannot read, would otherwise fail a job long after the client left.
     * Empty for no {@code -s}, and for a Flink savepoint of one job (which keeps Flink's meaning:
     * every job main() submits restores from it; the driver refuses a second job then).
     */
    static Optional<org.apache.flink.core.fs.Path> applicationSavepoint(@Nullable String path)
            throws CliException {
        if (path == null) {
            return Optional.empty();
        }
        org.apache.flink.core.fs.Path directory;
        ApplicationSavepoint manifest;
        try {
            org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(path);
            org.apache.flink.core.fs.FileSystem fs = p.getFileSystem();
            if (!fs.exists(p)) {
                throw CliException.usage("The savepoint " + path + " does not exist");
            }
            Optional<org.apache.flink.core.fs.Path> dir = ApplicationSavepoint.directoryOf(p);
            if (dir.isEmpty()) {
                return Optional.empty();
            }
            // The cluster resolves it, not the client's working directory.
            directory = dir.get().makeQualified(fs);
            manifest = ApplicationSavepoint.read(directory);
            for (ApplicationSavepoint.Job job : manifest.jobs()) {
                org.apache.flink.core.fs.Path savepoint =
                        ApplicationSavepoint.resolve(directory, job);
                if (!fs.exists(savepoint)) {
                    throw CliException.usage(
                            "The application savepoint "
                                    + directory
                                    + " records the savepoint "
                                    + savepoint
                                    + " of job #"
                                    + job.position()
                                    + " '"
                                    + job.name()
                                    + "', which does not exist");
                }
            }
        } catch (ApplicationSavepoint.InvalidManifestException e) {
            throw CliException.usage("Not an application savepoint: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw CliException.usage("The savepoint " + path + " cannot be read: " + firstLine(e));
        }
        LOG.info(
                "Restoring from application savepoint {} of {} ({} jobs, taken {}, Flink {})",
                directory,
                manifest.applicationId(),
                manifest.jobs().size(),
                manifest.time(),
                manifest.flinkVersion());
        return Optional.of(directory);
    }

    /**
     * The driver restores each job from its own savepoint in the application savepoint: no job gets
     * {@code execution.savepoint.path}, the driver job included. {@code -n} and {@code -rm} stay in
     * the configuration, where the driver reads them for each job it restores.
     */
    private static void restoreFrom(Configuration effective, org.apache.flink.core.fs.Path dir) {
        effective.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
        DriverJobMarkers.setApplicationSavepoint(effective, dir.toString());
    }

    /** {@code --file}: into every container's working directory, where main() and tasks run. */
    private static void shipFiles(Configuration effective, List<Path> files) {
        if (files.isEmpty()) {
            return;
        }
        List<String> ship =
                new ArrayList<>(
                        effective.getOptional(YarnConfigOptions.SHIP_FILES).orElse(List.of()));
        files.forEach(f -> ship.add(f.toString()));
        effective.set(YarnConfigOptions.SHIP_FILES, ship);
    }

    private static boolean isExistingCluster(CommandLine cl, Configuration effective) {
        String m = cl.getOptionValue(CliFrontendParser.ADDRESS_OPTION.getOpt());
        return (m != null && !m.equals("yarn-cluster"))
                || effective.getOptional(YarnConfigOptions.APPLICATION_ID).isPresent();
    }

    private int deployNewCluster(
            Configuration effective,
            Path jar,
            List<Path> libJars,
            String mainClass,
            List<String> programArgs,
            PythonSubmission python)
            throws Exception {
        HaPreflight.check(effective);
        YarnConfiguration yarnConfiguration = YarnClients.configuration(effective);
        ApplicationArchive archive =
                ApplicationArchive.create(
                        workDir.resolve("tmp"),
                        jar,
                        libJars,
                        python == null ? Map.of() : python.shipped());
        try {
            if (python != null) {
                python.applyDefaults(
                        effective,
                        archive.jarDirInContainer(),
                        LocalYarnSite.isLocalYarn(yarnConfiguration),
                        PythonSubmission.pyflinkHome(confDir));
            }
            effective.set(DriverOptions.MAIN_CLASS, mainClass);
            effective.set(DriverInternalOptions.JAR, archive.jarInContainer());
            effective.set(DriverOptions.LIB_JARS, archive.libJarsInContainer());
            effective.set(DriverOptions.PROGRAM_ARGS, programArgs);
            effective.set(DeploymentOptionsInternal.CONF_DIR, confDir);
            // Flink's own CLI does this too: without it containers log nowhere.
            YarnLogConfigUtil.setLogConfigFileInConfig(effective, confDir);
            if (!effective.contains(YarnConfigOptions.APPLICATION_NAME)) {
                effective.set(
                        YarnConfigOptions.APPLICATION_NAME, DriverApplicationNames.of(mainClass));
            }
            effective.set(YarnConfigOptions.APPLICATION_TAGS, withDriverTag(effective));
            StagingDirectory.configure(effective, yarnConfiguration, libDir(confDir), workDir);
            LocalYarnHaDefaults.apply(effective, yarnConfiguration);
            HistoryDefaults.apply(effective, yarnConfiguration);
            List<String> archives =
                    new ArrayList<>(
                            effective
                                    .getOptional(YarnConfigOptions.SHIP_ARCHIVES)
                                    .orElse(List.of()));
            archives.add(archive.zip().toString());
            effective.set(YarnConfigOptions.SHIP_ARCHIVES, archives);

            LOG.info("Deploying driver application for {} with {}", mainClass, effective);
            try (DriverClusterDescriptor descriptor =
                    DriverClusterDescriptor.create(effective, yarnConfiguration)) {
                YarnPreflight.check(effective, yarnConfiguration, descriptor.getYarnClient());
                return deploy(descriptor, effective);
            }
        } finally {
            archive.delete();
        }
    }

    private int deploy(DriverClusterDescriptor descriptor, Configuration effective)
            throws Exception {
        try {
            // No cluster client: the driver client never talks to the cluster it deployed.
            descriptor.deploySessionCluster(clusterSpecification(effective));
        } catch (ClusterDeploymentException e) {
            throw FailedDeployment.cleanUp(descriptor, effective, e);
        }
        ApplicationId id = descriptor.submittedApplication().orElseThrow();
        ApplicationReport report = descriptor.getYarnClient().getApplicationReport(id);
        out.println("Driver application submitted: " + id);
        out.println("Queue: " + report.getQueue());
        out.println("Tracking URL: " + report.getTrackingUrl());
        out.println("Follow it with: flink-driver status " + id);
        return 0;
    }

    static Path libDir(String confDir) {
        String env = System.getenv("FLINK_LIB_DIR");
        return env != null
                ? Path.of(env).toAbsolutePath()
                : Path.of(confDir).toAbsolutePath().resolveSibling("lib");
    }

    /** {@code yarn.tags} plus {@value #TAG}, by which list and operators find driver apps. */
    private static String withDriverTag(Configuration effective) {
        Set<String> tags = new LinkedHashSet<>();
        String configured = effective.get(YarnConfigOptions.APPLICATION_TAGS);
        if (configured != null && !configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::trim).forEach(tags::add);
        }
        tags.add(TAG);
        return String.join(",", tags);
    }

    private static ClusterSpecification clusterSpecification(Configuration effective) {
        return new org.apache.flink.client.deployment.DefaultClusterClientServiceLoader()
                .getClusterClientFactory(withYarnTarget(effective))
                .getClusterSpecification(effective);
    }

    private static Configuration withYarnTarget(Configuration effective) {
        Configuration c = new Configuration(effective);
        c.set(DeploymentOptions.TARGET, "yarn-session");
        return c;
    }

    private static Path existingFile(String path, String what) throws CliException {
        if (path == null) {
            throw CliException.usage("No " + what + " given");
        }
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw CliException.usage(
                    "The " + what + " " + path + " does not exist or is unreadable");
        }
        return p.toAbsolutePath();
    }

    private static List<Path> files(String commaSeparated) throws CliException {
        List<Path> out = new ArrayList<>();
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return out;
        }
        for (String f : commaSeparated.split(",")) {
            out.add(existingFile(f.trim(), "file"));
        }
        return out;
    }

    static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static String rootMessage(Throwable t) {
        Throwable root = ExceptionUtils.stripCompletionException(t);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? firstLine(t) : firstLine(t) + ": " + firstLine(root);
    }
}
