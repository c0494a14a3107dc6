package dev.flinkdriver.client;

import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.ProgramOptions;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;

import org.apache.commons.cli.CommandLine;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * {@code run -D -py <script> | -pym <module>} with Flink's other Python options ({@code -pyfs},
 * {@code -pyarch}, {@code -pyreq}, {@code -pyexec}, {@code -pyclientexec}, {@code -pypath}): a
 * Python program as the driver.
 *
 * <p>Flink's own parsing ({@code PythonProgramOptions}, loaded from the distribution's opt/) makes
 * the entry class {@code PythonDriver} and the {@code python.*} settings. This class checks the
 * local files they name before anything is deployed, and ships them in the application archive: the
 * settings then name them relative to the container's working directory, where the driver task
 * finds them whatever the client's working directory was. The flink-python jar travels as the
 * application jar, so only Python applications carry it.
 */
final class PythonSubmission {

    static final String PYTHON_DRIVER = "org.apache.flink.client.python.PythonDriver";

    /** FLIP-40's name for {@code -pym/--pyModule}. */
    static final String MOD_ALIAS = "--mod";

    // Flink's own keys (flink-python's PythonOptions, where they are documented), named here
    // because flink-python sits in opt/, on no class path of the client.
    static final ConfigOption<String> PYTHON_FILES =
            ConfigOptions.key("python.files").stringType().noDefaultValue();
    static final ConfigOption<String> PYTHON_ARCHIVES =
            ConfigOptions.key("python.archives").stringType().noDefaultValue();
    static final ConfigOption<String> PYTHON_REQUIREMENTS =
            ConfigOptions.key("python.requirements").stringType().noDefaultValue();
    static final ConfigOption<String> PYTHON_EXECUTABLE =
            ConfigOptions.key("python.executable").stringType().noDefaultValue();
    static final ConfigOption<String> PYTHON_CLIENT_EXECUTABLE =
            ConfigOptions.key("python.client.executable").stringType().noDefaultValue();

    /**
     * Room for the Python process beside the driver's JVM when {@code driver.native-memory} is not
     * set: a PyFlink program's interpreter (py4j, PyFlink, the program) measured about 170 MB
     * resident (see README, "Python programs").
     */
    static final MemorySize DEFAULT_NATIVE_MEMORY = MemorySize.ofMebiBytes(256);

    private static final String FILE_DELIMITER = ",";
    private static final String PARAM_DELIMITER = "#";

    private final Path pythonJar;
    private final Map<String, Path> shipped;
    private final List<String> programArgs;
    private final String programName;

    private PythonSubmission(
            Path pythonJar,
            Map<String, Path> shipped,
            List<String> programArgs,
            String programName) {
        this.pythonJar = pythonJar;
        this.shipped = shipped;
        this.programArgs = programArgs;
        this.programName = programName;
    }

    /**
     * {@code --mod m} and {@code --mod=m} become Flink's {@code --pyModule}: the first one before
     * the program's entry point ({@code -py}, {@code -pym}); later ones are the program's own.
     */
    static String[] withAliases(String[] args) {
        String[] out = args.clone();
        String pyModule = "--" + CliFrontendParser.PYMODULE_OPTION.getLongOpt();
        for (int i = 0; i < out.length; i++) {
            String a = out[i];
            if (a.equals("--") || isEntryPoint(a)) {
                break;
            }
            if (a.equals(MOD_ALIAS) || a.startsWith(MOD_ALIAS + "=")) {
                out[i] = pyModule + a.substring(MOD_ALIAS.length());
                break;
            }
        }
        return out;
    }

    private static boolean isEntryPoint(String arg) {
        for (org.apache.commons.cli.Option o :
                List.of(CliFrontendParser.PY_OPTION, CliFrontendParser.PYMODULE_OPTION)) {
            if (arg.equals("-" + o.getOpt())
                    || arg.equals("--" + o.getLongOpt())
                    || arg.startsWith("--" + o.getLongOpt() + "=")) {
                return true;
            }
        }
        return false;
    }

    /** A Python program: {@code -py} or {@code -pym} (Flink then runs {@code PythonDriver}). */
    static boolean isPython(ProgramOptions programOptions) {
        return PYTHON_DRIVER.equals(programOptions.getEntryPointClassName());
    }

    /**
     * Python options with a jar (a Java program with Python functions): their files would not reach
     * the cluster, nor the flink-python jar the jobs need; refused as before Python programs were
     * supported, with a message that says what works.
     */
    static void refuseWithJar(CommandLine cl) throws CliException {
        for (org.apache.commons.cli.Option o :
                List.of(
                        CliFrontendParser.PYFILES_OPTION,
                        CliFrontendParser.PYARCHIVE_OPTION,
                        CliFrontendParser.PYREQUIREMENTS_OPTION,
                        CliFrontendParser.PYEXEC_OPTION,
                        CliFrontendParser.PYCLIENTEXEC_OPTION,
                        CliFrontendParser.PYTHON_PATH)) {
            if (cl.hasOption(o.getOpt())) {
                throw CliException.usage(
                        "-"
                                + o.getOpt()
                                + " needs a Python program (-py or -pym) in driver mode; a jar's"
                                + " Python functions are not supported");
            }
        }
    }

    /** Flink's own rule, which only fails on the cluster: one entry point. */
    static void checkEntryPoint(CommandLine cl) throws CliException {
        if (cl.hasOption(CliFrontendParser.PY_OPTION.getOpt())
                && cl.hasOption(CliFrontendParser.PYMODULE_OPTION.getOpt())) {
            throw CliException.usage(
                    "-py/--python and -pym/--pyModule cannot be used together: give the script"
                            + " with -py, or the module with -pym and its files with -pyfs");
        }
    }

    /**
     * Checks the local files the Python options name, and rewrites {@code effective}'s {@code
     * python.*} paths (and the script in the program arguments) to where the application archive
     * puts them.
     *
     * @param effective the configuration with Flink's {@code python.*} settings merged in
     * @param archiveLink the archive's directory in the containers' working directory
     */
    static PythonSubmission prepare(
            CommandLine cl,
            ProgramOptions programOptions,
            Configuration effective,
            String archiveLink)
            throws CliException {
        checkEntryPoint(cl);
        Path pythonJar = findPythonJar();
        Map<String, Path> shipped = new LinkedHashMap<>();
        List<String> args = new ArrayList<>(Arrays.asList(programOptions.getProgramArgs()));
        int script = args.indexOf("--" + CliFrontendParser.PY_OPTION.getLongOpt());
        int module = args.indexOf("--" + CliFrontendParser.PYMODULE_OPTION.getLongOpt());
        String programName = module >= 0 ? args.get(module + 1) : "";
        if (script >= 0 && script + 1 < args.size()) {
            Path file = existing(args.get(script + 1), "Python script");
            programName = file.getFileName().toString();
            if (!Files.isRegularFile(file)) {
                throw CliException.usage(
                        "The Python script " + args.get(script + 1) + " is no file");
            }
            args.set(script + 1, ship(shipped, file, archiveLink));
        }
        Optional<String> files = effective.getOptional(PYTHON_FILES);
        if (files.isPresent()) {
            List<String> rewritten = new ArrayList<>();
            for (String f : split(files.get())) {
                rewritten.add(
                        isRemote(f) ? f : ship(shipped, existing(f, "Python file"), archiveLink));
            }
            effective.set(PYTHON_FILES, String.join(FILE_DELIMITER, rewritten));
        }
        Optional<String> archives = effective.getOptional(PYTHON_ARCHIVES);
        if (archives.isPresent()) {
            List<String> rewritten = new ArrayList<>();
            for (String a : split(archives.get())) {
                String[] pathAndTarget = a.split(PARAM_DELIMITER, 2);
                String target = pathAndTarget.length > 1 ? PARAM_DELIMITER + pathAndTarget[1] : "";
                if (isRemote(pathAndTarget[0])) {
                    rewritten.add(a);
                    continue;
                }
                Path archive = existing(pathAndTarget[0], "Python archive");
                checkArchive(archive, pathAndTarget[0]);
                rewritten.add(ship(shipped, archive, archiveLink) + target);
            }
            effective.set(PYTHON_ARCHIVES, String.join(FILE_DELIMITER, rewritten));
        }
        Optional<String> requirements = effective.getOptional(PYTHON_REQUIREMENTS);
        if (requirements.isPresent()) {
            String[] fileAndCache = requirements.get().split(PARAM_DELIMITER, 2);
            StringBuilder rewritten = new StringBuilder();
            rewritten.append(
                    isRemote(fileAndCache[0])
                            ? fileAndCache[0]
                            : ship(
                                    shipped,
                                    existing(fileAndCache[0], "Python requirements file"),
                                    archiveLink));
            if (fileAndCache.length > 1) {
                rewritten
                        .append(PARAM_DELIMITER)
                        .append(
                                isRemote(fileAndCache[1])
                                        ? fileAndCache[1]
                                        : ship(
                                                shipped,
                                                existing(
                                                        fileAndCache[1],
                                                        "Python requirements cache directory"),
                                                archiveLink));
            }
            effective.set(PYTHON_REQUIREMENTS, rewritten.toString());
        }
        return new PythonSubmission(pythonJar, shipped, args, programName);
    }

    /**
     * Settings a Python driver needs on the cluster: where the driver's TaskManager finds the
     * flink-python jar (Flink's {@code FLINK_OPT_DIR}, as Flink sets it for its application
     * entrypoint), room for the Python process, and on the local YARN, whose containers run on this
     * machine, the distribution's PyFlink environment as interpreter unless one is given.
     */
    void applyDefaults(
            Configuration effective,
            String optDirInContainer,
            boolean localYarn,
            Path pyflinkHome) {
        effective.setString(
                ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX
                        + ConfigConstants.ENV_FLINK_OPT_DIR,
                optDirInContainer);
        if (!effective.contains(DriverResourceOptions.NATIVE_MEMORY)) {
            effective.set(DriverResourceOptions.NATIVE_MEMORY, DEFAULT_NATIVE_MEMORY);
        }
        // Flink's client reads PYFLINK_CLIENT_EXECUTABLE where main() runs; here main() runs in
        // the driver's container, which does not inherit the client's environment.
        String clientExecutable = System.getenv("PYFLINK_CLIENT_EXECUTABLE");
        if (!effective.contains(PYTHON_CLIENT_EXECUTABLE)
                && clientExecutable != null
                && !clientExecutable.isBlank()) {
            effective.set(PYTHON_CLIENT_EXECUTABLE, clientExecutable);
        }
        Path python = pyflinkHome.resolve("bin/python");
        if (localYarn && Files.isExecutable(python)) {
            if (!effective.contains(PYTHON_CLIENT_EXECUTABLE)) {
                effective.set(PYTHON_CLIENT_EXECUTABLE, python.toString());
            }
            if (!effective.contains(PYTHON_EXECUTABLE)) {
                effective.set(PYTHON_EXECUTABLE, python.toString());
            }
        }
    }

    /** The flink-python jar, the application jar of a Python program. */
    Path pythonJar() {
        return pythonJar;
    }

    /** The script's file name or the module's name: the application's name. */
    String programName() {
        return programName;
    }

    /**
     * The distribution's PyFlink environment, which its build installs ({@code
     * bin/install-pyflink}).
     */
    static Path pyflinkHome(String confDir) {
        String home = System.getenv("FLINK_DRIVER_HOME");
        return (home != null ? Path.of(home) : Path.of(confDir).toAbsolutePath().getParent())
                .resolve("var/pyflink");
    }

    /** Archive entry name to local file or directory. */
    Map<String, Path> shipped() {
        return shipped;
    }

    /** PythonDriver's arguments, the script where the archive puts it. */
    List<String> programArgs() {
        return programArgs;
    }

    /** Exactly one flink-python jar in {@code FLINK_OPT_DIR} (bin/flink-driver: opt/). */
    static Path findPythonJar() throws CliException {
        String optDir = System.getenv(ConfigConstants.ENV_FLINK_OPT_DIR);
        if (optDir == null) {
            throw CliException.usage(
                    "Python programs need the flink-python jar: FLINK_OPT_DIR is not set");
        }
        try (Stream<Path> files = Files.list(Path.of(optDir))) {
            List<Path> jars =
                    files.filter(p -> p.getFileName().toString().startsWith("flink-python"))
                            .filter(p -> p.getFileName().toString().endsWith(".jar"))
                            .toList();
            if (jars.size() != 1) {
                throw CliException.usage(
                        "Python programs need exactly one flink-python jar in "
                                + optDir
                                + ", found "
                                + jars.size());
            }
            return jars.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw CliException.usage("Cannot list " + optDir + ": " + e.getMessage());
        }
    }

    private static String ship(Map<String, Path> shipped, Path local, String archiveLink) {
        for (Map.Entry<String, Path> e : shipped.entrySet()) {
            if (e.getValue().equals(local)) {
                return archiveLink + "/" + e.getKey();
            }
        }
        // A directory of its own per file: two files of one name from different directories.
        String entry = "python/" + shipped.size() + "/" + local.getFileName();
        shipped.put(entry, local);
        return archiveLink + "/" + entry;
    }

    private static Path existing(String path, String what) throws CliException {
        Path p = localPath(path);
        if (!Files.exists(p) || !Files.isReadable(p)) {
            throw CliException.usage(
                    "The " + what + " " + path + " does not exist or is unreadable");
        }
        return p;
    }

    private static void checkArchive(Path archive, String path) throws CliException {
        if (!Files.isRegularFile(archive)) {
            throw CliException.usage("The Python archive " + path + " is no file");
        }
        String name = archive.getFileName().toString().toLowerCase();
        if (name.endsWith(".zip") || name.endsWith(".jar")) {
            try (ZipFile ignored = new ZipFile(archive.toFile())) {
                // readable as a zip
            } catch (IOException e) {
                throw CliException.usage("The Python archive " + path + " is not a zip file");
            }
        } else if (!(name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz"))) {
            throw CliException.usage(
                    "The Python archive "
                            + path
                            + " is no zip, jar, tar, tar.gz or tgz file, the formats Flink unpacks");
        }
    }

    private static Path localPath(String path) {
        try {
            URI uri = new URI(path);
            if ("file".equals(uri.getScheme())) {
                return Path.of(uri).toAbsolutePath();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // a plain path
        }
        return Path.of(path).toAbsolutePath();
    }

    /** A path on a distributed file system, which the containers read themselves. */
    private static boolean isRemote(String path) {
        try {
            String scheme = new URI(path).getScheme();
            return scheme != null && !scheme.equals("file") && scheme.length() > 1;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(FILE_DELIMITER))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
