package dev.flinkdriver.client;

import dev.flinkdriver.api.ApplicationSavepoint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every mistake the client can see without YARN, through the same entry point as {@code
 * bin/flink-driver}: one line on stderr naming the problem, the documented exit code, nothing on
 * stdout and nothing left in the client's work directory. The YARN of these tests is unreachable
 * (see the surefire configuration), so a case that wrongly got as far as YARN fails with exit code
 * 1 and "Cannot reach YARN" instead of its own message.
 */
@Timeout(60)
class FlinkDriverCliTest {

    @TempDir static Path dir;

    private static String app;
    private static String notAJar;
    private static String noMainClassJar;
    private static String applicationSavepoint;
    private static String otherFormatVersion;
    private static String notJsonManifest;
    private static String missingJobSavepoint;
    private static String script;
    private static String brokenArchive;

    @BeforeAll
    static void jars() throws IOException {
        app = jar("app.jar", TestMain.class.getName(), TestMain.class).toString();
        noMainClassJar = jar("no-main.jar", null).toString();
        notAJar = Files.writeString(dir.resolve("notes.jar"), "not a jar").toString();
        applicationSavepoint = applicationSavepoint("good", true).toString();
        Path other = applicationSavepoint("other-version", true);
        Path manifest = other.resolve(ApplicationSavepoint.MANIFEST);
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        otherFormatVersion = other.toString();
        Path notJson = Files.createDirectories(dir.resolve("not-json"));
        notJsonManifest =
                Files.writeString(notJson.resolve(ApplicationSavepoint.MANIFEST), "{ jobs: [")
                        .toString();
        missingJobSavepoint = applicationSavepoint("missing-job", false).toString();
        script = Files.writeString(dir.resolve("job.py"), "print('hello')\n").toString();
        brokenArchive = Files.writeString(dir.resolve("venv.zip"), "not a zip").toString();
    }

    /** An application savepoint of two jobs; {@code complete}: with both jobs' savepoints. */
    private static Path applicationSavepoint(String name, boolean complete) throws IOException {
        Path savepoint = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(savepoint.resolve("savepoint-aaaaaa-000000000001"));
        if (complete) {
            Files.createDirectories(savepoint.resolve("savepoint-bbbbbb-000000000002"));
        }
        new ApplicationSavepoint(
                        "application_1_1",
                        "app",
                        java.time.Instant.parse("2026-12-05T01:00:00Z"),
                        "2.3.0",
                        true,
                        List.of(
                                new ApplicationSavepoint.Job(
                                        1, "alpha", "a1", "savepoint-aaaaaa-000000000001"),
                                new ApplicationSavepoint.Job(
                                        2, "beta", "b2", "savepoint-bbbbbb-000000000002")))
                .write(new org.apache.flink.core.fs.Path(savepoint.toUri()));
        return savepoint;
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // the command line
                arguments("no action", 2, "No action", List.of()),
                arguments(
                        "unknown action", 2, "Unknown action 'frobnicate'", List.of("frobnicate")),
                arguments(
                        "unknown option",
                        2,
                        "Unknown option --nonsense",
                        List.of("run", "-D", "--nonsense", "@app")),
                arguments(
                        "option without its value",
                        2,
                        "Missing argument for option: c",
                        List.of("run", "-D", "-c")),
                arguments(
                        "-d with -D",
                        2,
                        "cannot be combined with driver mode",
                        List.of("run", "-D", "-d", "@app")),
                arguments(
                        "--detached with --driver",
                        2,
                        "cannot be combined with driver mode",
                        List.of("run", "--driver", "--detached", "@app")),
                // option values
                arguments(
                        "-p not a number",
                        2,
                        "parallelism",
                        List.of("run", "-D", "-p", "zero", "@app")),
                arguments("-p 0", 2, "parallelism", List.of("run", "-D", "-p", "0", "@app")),
                arguments(
                        "negative driver heap",
                        2,
                        "--driverheapmemory: must be more than 0 MB",
                        List.of("run", "-D", "--driverheapmemory", "-1", "@app")),
                arguments(
                        "zero driver heap",
                        2,
                        "--driverheapmemory: must be more than 0 MB",
                        List.of("run", "-D", "--driverheapmemory", "0", "@app")),
                arguments(
                        "driver heap not a number",
                        2,
                        "--driverheapmemory: '1g' is not a number of MB",
                        List.of("run", "-D", "--driverheapmemory", "1g", "@app")),
                arguments(
                        "negative direct memory",
                        2,
                        "--driverdirectmemory: must be 0 or more MB",
                        List.of("run", "-D", "--driverdirectmemory", "-5", "@app")),
                arguments(
                        "native memory not a number",
                        2,
                        "--drivernativememory: 'x' is not a number of MB",
                        List.of("run", "-D", "--drivernativememory", "x", "@app")),
                arguments(
                        "negative native memory",
                        2,
                        "--drivernativememory: must be 0 or more MB",
                        List.of("run", "-D", "--drivernativememory", "-5", "@app")),
                arguments(
                        "driver cpus not a number",
                        2,
                        "--drivercpus: 'two' is not a number",
                        List.of("run", "-D", "--drivercpus", "two", "@app")),
                arguments(
                        "zero driver cpus",
                        2,
                        "--drivercpus: must be greater than 0",
                        List.of("run", "-D", "--drivercpus", "0", "@app")),
                arguments(
                        "a driver JobManager below its minimum",
                        2,
                        "driver.jobmanager.process.size: 300 mb is too small, at least 416 mb",
                        List.of("run", "-D", "-Ddriver.jobmanager.process.size=300m", "@app")),
                arguments(
                        "malformed -yid",
                        2,
                        "garbage",
                        List.of("run", "-D", "-yid", "garbage", "@app")),
                // files
                arguments("no jar", 2, "should be specified a JAR file", List.of("run", "-D")),
                arguments(
                        "missing jar",
                        2,
                        "/no/such/app.jar does not exist",
                        List.of("run", "-D", "/no/such/app.jar")),
                arguments("not a jar", 2, "is not a jar file", List.of("run", "-D", "@notAJar")),
                arguments(
                        "unknown main class",
                        2,
                        "com.acme.NoSuchMain",
                        List.of("run", "-D", "-c", "com.acme.NoSuchMain", "@app")),
                arguments(
                        "no main class", 2, "Main-Class", List.of("run", "-D", "@noMainClassJar")),
                arguments(
                        "missing savepoint",
                        2,
                        "/no/such/savepoint does not exist",
                        List.of("run", "-D", "-s", "/no/such/savepoint", "@app")),
                arguments(
                        "missing application savepoint manifest",
                        2,
                        "/no/such/application-savepoint.json does not exist",
                        List.of("run", "-D", "-s", "/no/such/application-savepoint.json", "@app")),
                arguments(
                        "application savepoint of another format version",
                        2,
                        "has format version 2; this flink-driver reads version 1",
                        List.of("run", "-D", "-s", "@otherFormatVersion", "@app")),
                arguments(
                        "application savepoint manifest that is not JSON",
                        2,
                        "Not an application savepoint: ",
                        List.of("run", "-D", "-s", "@notJsonManifest", "@app")),
                arguments(
                        "application savepoint that lacks a job's savepoint",
                        2,
                        "of job #2 'beta', which does not exist",
                        List.of("run", "-D", "-s", "@missingJobSavepoint", "@app")),
                arguments(
                        "missing --libjars jar",
                        2,
                        "/no/such/lib.jar does not exist",
                        List.of("run", "-D", "--libjars", "/no/such/lib.jar", "@app")),
                arguments(
                        "missing --file",
                        2,
                        "/no/such/input.txt does not exist",
                        List.of("run", "-D", "--file", "/no/such/input.txt", "@app")),
                // Python programs
                arguments(
                        "-py with -pym",
                        2,
                        "-py/--python and -pym/--pyModule cannot be used together",
                        List.of("run", "-D", "-py", "@script", "-pym", "job")),
                arguments(
                        "-py with FLIP-40's --mod",
                        2,
                        "-py/--python and -pym/--pyModule cannot be used together",
                        List.of("run", "-D", "--mod", "job", "-py", "@script")),
                arguments(
                        "missing .py file",
                        2,
                        "The Python script /no/such/job.py does not exist or is unreadable",
                        List.of("run", "-D", "-py", "/no/such/job.py")),
                arguments(
                        "missing -pyfs file",
                        2,
                        "The Python file /no/such/lib.py does not exist or is unreadable",
                        List.of("run", "-D", "-pym", "job", "-pyfs", "/no/such/lib.py")),
                arguments(
                        "unreadable -pyarch",
                        2,
                        "The Python archive @brokenArchive is not a zip file",
                        List.of("run", "-D", "-py", "@script", "-pyarch", "@brokenArchive")),
                arguments(
                        "missing -pyarch",
                        2,
                        "The Python archive /no/such/venv.zip does not exist or is unreadable",
                        List.of(
                                "run",
                                "-D",
                                "-py",
                                "@script",
                                "-pyarch",
                                "/no/such/venv.zip#venv")),
                arguments(
                        "missing -pyreq",
                        2,
                        "The Python requirements file /no/such/requirements.txt does not exist",
                        List.of(
                                "run",
                                "-D",
                                "-py",
                                "@script",
                                "-pyreq",
                                "/no/such/requirements.txt")),
                arguments(
                        "Python options with a jar",
                        2,
                        "-pyfs needs a Python program (-py or -pym) in driver mode",
                        List.of("run", "-D", "-pyfs", "@script", "@app")),
                arguments(
                        "Python program with -m host:port",
                        2,
                        "-m <host:port> and -yid cannot ship its files",
                        List.of("run", "-D", "-m", "localhost:8081", "-py", "@script")),
                arguments(
                        "Python program with -yid",
                        2,
                        "-m <host:port> and -yid cannot ship its files",
                        List.of("run", "-D", "-yid", "application_1_1", "-pym", "job")),
                // status, list, cancel
                arguments("status without id", 2, "Usage: flink-driver status", List.of("status")),
                arguments(
                        "status of a malformed id",
                        2,
                        "Not a YARN application id: application_x",
                        List.of("status", "application_x")),
                arguments(
                        "status with an unknown option",
                        2,
                        "Unknown option --follow",
                        List.of("status", "application_1_1", "--follow")),
                arguments(
                        "status --output xml",
                        2,
                        "--output must be json or text, not xml",
                        List.of("status", "application_1_1", "--output", "xml")),
                arguments(
                        "status --output without value",
                        2,
                        "--output needs a value",
                        List.of("status", "application_1_1", "--output")),
                arguments(
                        "list --output without value",
                        2,
                        "--output needs a value",
                        List.of("list", "--output")),
                arguments(
                        "list --output xml",
                        2,
                        "--output must be json or text, not xml",
                        List.of("list", "--all", "--output", "xml")),
                arguments(
                        "cancel of a malformed id",
                        2,
                        "Not a YARN application id: application_x",
                        List.of("cancel", "application_x")),
                arguments(
                        "cancel of two ids",
                        2,
                        "Usage: flink-driver cancel",
                        List.of("cancel", "application_1_1", "application_1_2")),
                // savepoint, stop
                arguments(
                        "savepoint of two applications",
                        2,
                        "Usage: flink-driver savepoint <applicationId> [<dir>]",
                        List.of("savepoint", "application_1_1", "/sp", "application_1_2")),
                arguments(
                        "savepoint of a malformed id",
                        2,
                        "Not a YARN application id: application_x",
                        List.of("savepoint", "application_x")),
                arguments(
                        "savepoint with an unknown option",
                        2,
                        "Unknown option --drain",
                        List.of("savepoint", "application_1_1", "--drain")),
                arguments(
                        "stop with a directory but no option",
                        2,
                        "Usage: flink-driver stop <applicationId> [--savepoint-dir <dir>]",
                        List.of("stop", "application_1_1", "/sp")),
                arguments(
                        "stop --savepoint-dir without value",
                        2,
                        "--savepoint-dir needs a value",
                        List.of("stop", "application_1_1", "--savepoint-dir")),
                arguments(
                        "stop with an unknown option",
                        2,
                        "Unknown option --force",
                        List.of("stop", "application_1_1", "--force")),
                // logs
                arguments("logs without id", 2, "Usage: flink-driver logs", List.of("logs")),
                arguments(
                        "logs of a malformed id",
                        2,
                        "Not a YARN application id: application_x",
                        List.of("logs", "application_x")),
                arguments(
                        "logs --driver and --jobmanager",
                        2,
                        "--driver, --jobmanager and --all exclude each other",
                        List.of("logs", "application_1_1", "--driver", "--jobmanager")),
                arguments(
                        "logs with an unknown option",
                        2,
                        "Unknown option --follow",
                        List.of("logs", "application_1_1", "--follow")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void oneLineDocumentedExitCodeNothingLeftBehind(
            String mistake, int exitCode, String message, List<String> command) throws Exception {
        Result r = run(command);

        assertThat(r.exitCode).as("exit code; stderr: %s", r.stderr).isEqualTo(exitCode);
        assertThat(r.stderr.strip().lines()).as("stderr").hasSize(1);
        assertThat(r.stderr)
                .startsWith("flink-driver: ")
                .contains(message.replace("@brokenArchive", brokenArchive));
        assertThat(r.stdout).as("stdout").isEmpty();
        assertThat(workDirFiles()).as("files left in the client's work directory").isEmpty();
    }

    static Stream<Arguments> yarnCommands() {
        return Stream.of(
                arguments(List.of("run", "-D", "@app")),
                arguments(List.of("run", "-D", "-py", "@script", "-pyarch", "@venv")),
                arguments(List.of("status", "application_1_1")),
                arguments(List.of("logs", "application_1_1")),
                arguments(List.of("list")),
                arguments(List.of("cancel", "application_1_1")),
                arguments(List.of("savepoint", "application_1_1", "/sp")),
                arguments(List.of("stop", "application_1_1", "--drain")),
                // driver.jobmanager.process.size sizes new clusters the user did not size: -yjm
                // ignores even a value it would refuse (-yid: below)
                arguments(
                        List.of(
                                "run",
                                "-D",
                                "-yjm",
                                "1024",
                                "-Ddriver.jobmanager.process.size=300m",
                                "@app")),
                // a valid application savepoint passes the client's checks
                arguments(List.of("run", "-D", "-s", "@applicationSavepoint", "@app")));
    }

    /**
     * The unit tests' YARN is a closed port: every command says so within the default connect
     * timeout (5 s) and the client's own start-up, not after Hadoop's minutes of retries.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("yarnCommands")
    void unreachableYarnIsReportedWithinSeconds(List<String> command) throws Exception {
        long t0 = System.nanoTime();
        Result r = run(command);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;

        assertThat(r.exitCode).as("exit code; stderr: %s", r.stderr).isEqualTo(1);
        assertThat(r.stderr.strip().lines()).as("stderr").hasSize(1);
        assertThat(r.stderr)
                .startsWith("flink-driver: Cannot reach YARN's ResourceManager")
                .contains("127.0.0.1:1");
        assertThat(seconds).as("seconds until the error").isLessThan(20);
        assertThat(workDirFiles()).as("files left in the client's work directory").isEmpty();
    }

    /** An existing cluster keeps its size: driver.jobmanager.process.size, even bad, is unread. */
    @Test
    void submissionToAnExistingClusterIgnoresTheDriversJobManagerSize() {
        Result r =
                run(
                        List.of(
                                "run",
                                "-D",
                                "-yid",
                                "application_1_1",
                                "-Ddriver.jobmanager.process.size=300m",
                                "@app"));

        assertThat(r.exitCode).as("exit code; stderr: %s", r.stderr).isEqualTo(1);
        assertThat(r.stderr)
                .contains("YARN application application_1_0001", "localhost:1")
                .doesNotContain("driver.jobmanager.process.size");
    }

    @Test
    void yarnConnectTimeoutIsConfigurable() {
        long t0 = System.nanoTime();
        Result r = run(List.of("run", "-D", "-yD", "driver.client.connect-timeout=12 s", "@app"));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;

        assertThat(r.stderr).contains("Cannot reach YARN's ResourceManager");
        assertThat(seconds).as("seconds until the error").isGreaterThanOrEqualTo(11);
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Result r = run(List.of("run", "-D", "--verbose", "/no/such/app.jar"));

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.stderr.lines().findFirst())
                .hasValueSatisfying(
                        l -> assertThat(l).startsWith("flink-driver: ").contains("does not exist"));
        assertThat(r.stderr).contains("\tat dev.flinkdriver.client.");
    }

    @Test
    void runHelpListsEveryOptionInGroups() throws Exception {
        Result r = run(List.of("run", "-D", "--help"));

        assertThat(r.exitCode).as("stderr: %s", r.stderr).isZero();
        assertThat(r.stdout)
                .contains("Common options", "Driver options", "YARN and deployment options")
                .contains("--driverheapmemory", "--libjars", "--file", "-yqu")
                .contains("--fromSavepoint", "--classpath");
    }

    private static Result run(List<String> command) {
        List<String> args = new ArrayList<>();
        for (String a : command) {
            switch (a) {
                case "@app" -> args.add(app);
                case "@notAJar" -> args.add(notAJar);
                case "@noMainClassJar" -> args.add(noMainClassJar);
                case "@applicationSavepoint" -> args.add(applicationSavepoint);
                case "@otherFormatVersion" -> args.add(otherFormatVersion);
                case "@notJsonManifest" -> args.add(notJsonManifest);
                case "@missingJobSavepoint" -> args.add(missingJobSavepoint);
                case "@script" -> args.add(script);
                case "@brokenArchive" -> args.add(brokenArchive);
                case "@venv" -> args.add(venvZip());
                default -> args.add(a);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode =
                FlinkDriverCli.run(
                        args.toArray(String[]::new),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                exitCode,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String stdout, String stderr) {}

    /** A readable zip, as a packed virtual environment for -pyarch. */
    private static String venvZip() {
        Path zip = dir.resolve("env.zip");
        try (OutputStream file = Files.newOutputStream(zip);
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(file)) {
            out.putNextEntry(new java.util.zip.ZipEntry("env/bin/python"));
            out.closeEntry();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return zip.toString();
    }

    /** Regular files the client left in its work directory ({@code FLINK_DRIVER_HOME/var}). */
    static List<Path> workDirFiles() throws IOException {
        Path var = Path.of(System.getenv("FLINK_DRIVER_HOME")).resolve("var");
        if (!Files.exists(var)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(var)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    static Path jar(String name, String mainClass, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().putValue("Main-Class", mainClass);
        }
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
