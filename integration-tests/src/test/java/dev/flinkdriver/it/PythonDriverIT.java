package dev.flinkdriver.it;

import dev.flinkdriver.api.DriverDiagnosticsFormat;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.flinkdriver.it.FailoverTraces.mainRuns;
import static dev.flinkdriver.it.FailoverTraces.result;
import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Python programs as drivers ({@code run -D -py/-pym} with Flink's Python options), with the
 * PyFlink the distribution's build installed ({@code var/pyflink}), on the test YARN.
 */
@ExtendWith(TestYarn.class)
class PythonDriverIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(8);

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private static Path pyflink;

    /** A packed virtual environment for {@code -pyarch}, built once for the class. */
    private static Path venvZip;

    /** {@code -pyreq}: a requirements file and a cache directory with its one wheel. */
    private static String requirements;

    /**
     * A small environment of the same interpreter ({@code --copies}: no links out of the archive)
     * that finds PyFlink through a {@code .pth} file in the distribution's environment: a few MB to
     * pack and ship instead of PyFlink's 800, valid where that path exists, i.e. on every node of
     * the test YARN.
     */
    @BeforeAll
    static void packVirtualEnvironment() throws Exception {
        pyflink = TestPaths.distDir().resolve("var/pyflink");
        assertThat(pyflink.resolve("bin/python")).as("PyFlink installed by the build").exists();
        Path dir =
                Files.createDirectories(TestPaths.itDir().resolve("pyarch-" + System.nanoTime()));
        long t0 = System.nanoTime();
        python("-m", "venv", "--copies", "--without-pip", dir.resolve("venv").toString());
        String sitePackages =
                python("-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip();
        String ownSitePackages =
                sitePackages.replace(pyflink.toString(), dir.resolve("venv").toString());
        Files.writeString(Path.of(ownSitePackages).resolve("pyflink.pth"), sitePackages + "\n");
        python(
                "-c",
                "import shutil; shutil.make_archive('"
                        + dir.resolve("venv")
                        + "', 'zip', '"
                        + dir
                        + "', 'venv')");
        venvZip = dir.resolve("venv.zip");
        requirements = requirementsWithCache(dir);
        System.out.printf(
                "packed %s (%d KB) in %d ms%n",
                venvZip, Files.size(venvZip) / 1024, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * One application for the multi-job program: -pym with -pyfs (the module and a library it
     * imports, also in the UDF workers), -pyarch with -pyexec and -pyclientexec (the interpreter of
     * the UDF workers and of main() from the shipped environment), -pyreq with a cache directory (a
     * package installed into the workers), a DAEMON job, execute() twice and execute_async(),
     * prefixed names, and the driver's container killed with SIGKILL after the second job.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void multiJobProgramRunsEachJobOnceAcrossTheLossOfItsDriver() throws Exception {
        Path trace = FailoverTraces.newDir("python-steps");
        Path module = pythonResources();
        long submitted = System.currentTimeMillis();
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-pym",
                        "driver_steps",
                        "-pyfs",
                        module.toString(),
                        "-pyarch",
                        venvZip.toString(),
                        "-pyexec",
                        "venv.zip/venv/bin/python",
                        "-pyclientexec",
                        "venv.zip/venv/bin/python",
                        "-pyreq",
                        requirements,
                        trace.toString(),
                        "kill-after-job-2");

        long driverPid = awaitPid(trace.resolve("kill-driver"));
        System.out.printf(
                "Python driver container after job 2: %d MB resident (TaskManager JVM and"
                        + " Python process)%n",
                residentMegabytes(driverPid));
        LostProcesses.kill(ProcessHandle.of(driverPid).orElseThrow());

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getName()).isEqualTo("Flink Driver: driver_steps");
        assertThat(end.getDiagnostics())
                .contains("3 jobs finished, 0 failed, 1 cancelled")
                .contains(DriverDiagnosticsFormat.driverRestarts(1));
        assertThat(mainRuns(trace)).as("main() ran twice").isEqualTo(2);
        assertThat(read(trace.resolve("main-1")))
                .as("main()'s interpreter, from -pyclientexec")
                .contains("/venv.zip/venv/bin/python");
        assertThat(taskRuns(trace)).as("every job ran once").isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L));
        for (int job = 1; job <= 2; job++) {
            assertThat(result(trace, 2, job))
                    .as("the restarted main() got job %d's original job id", job)
                    .isEqualTo(result(trace, 1, job));
        }
        assertThat(rows(trace.resolve("out/words"))).contains("to 2", "be 2", "question 1");
        assertThat(rows(trace.resolve("out/squares"))).containsExactly("338350");
        // Every Python function ran with -pyexec's interpreter from the -pyarch archive.
        try (Stream<Path> runs = Files.list(trace.resolve("runs"))) {
            assertThat(runs.map(PythonDriverIT::read).toList())
                    .hasSize(3)
                    .allMatch(exe -> exe.contains("/venv.zip/venv/bin/python"), "from venv.zip")
                    .allMatch(
                            run -> run.endsWith("installed from -pyreq"), "with -pyreq's package");
        }
        String jobManagerLog = DriverModeIT.jobManagerLog(id);
        String prefix = end.getName() + ": ";
        assertThat(SqlDriverIT.finishedJobs(jobManagerLog, end.getName()))
                .containsExactly(prefix + "words", prefix + "squares", prefix + "last");
        assertThat(jobManagerLog).contains(prefix + "[daemon] ticks");
        assertThat(TestYarn.get().containerLogFiles(id, "taskmanager.log"))
                .as("the Python program's jobs went through the driver's RPC executor")
                .containsPattern(
                        "Submitting job '" + prefix + "words' \\([0-9a-f]{32}\\) over RPC");
        System.out.printf(
                "Python driver: %.1f s from run to the first job running%n",
                (firstJobRunning(jobManagerLog, prefix).toEpochMilli() - submitted) / 1000.0);
    }

    /** PyFlink's own examples, shipped in the apache-flink package, unchanged. */
    @ParameterizedTest
    @CsvSource({
        "datastream/word_count.py, '(a,5)'",
        "table/word_count.py, '{\"data\":[{\"word\":\"a\",\"count\":5}],\"type\":\"INSERT\"}'"
    })
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void pyflinkExampleRunsUnchanged(String example, String expectedRow) throws Exception {
        Path script =
                Path.of(
                        python("-c", "import pyflink, os; print(os.path.dirname(pyflink.__file__))")
                                .strip(),
                        "examples",
                        example);
        Path output = TestPaths.itDir().resolve("pyflink-example-" + System.nanoTime());
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-py", script.toString(), "--output", output.toString());
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("1 jobs finished, 0 failed");
        assertThat(rows(output)).contains(expectedRow);
        FlinkDriverCommand.Result logs = FlinkDriverCommand.run("logs", id.toString());
        assertThat(logs.stdout())
                .as("main()'s prints")
                .contains("Executing word_count example with default input data set.");
    }

    /**
     * A Python exception fails the application at once, the exception in YARN's diagnostics and the
     * traceback in the driver's output. The script is named relative to the client's working
     * directory, which the containers do not share, and the Python process runs in another one
     * (Flink unpacks the -pyarch archives there for -pyclientexec): FLINK-26847's case.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void raisingProgramFailsAtOnceWithTheException() throws Exception {
        Path script =
                script(
                        "raises.py",
                        "def check(n):",
                        "    raise ValueError(f'python says no to {n}')",
                        "print('about to fail')",
                        "check(42)");
        String relative = Path.of("").toAbsolutePath().relativize(script).toString();
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-py",
                        relative,
                        "-pyarch",
                        venvZip.toString(),
                        "-pyclientexec",
                        "venv.zip/venv/bin/python");
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains("PythonProgramException: ValueError: python says no to 42")
                .contains(DriverDiagnosticsFormat.driverRestarts(0));
        FlinkDriverCommand.Result logs = FlinkDriverCommand.run("logs", id.toString(), "--stderr");
        assertThat(logs.stdout())
                .contains("about to fail")
                .contains("Traceback (most recent call last):")
                .contains("raise ValueError(f'python says no to {n}')")
                .contains("ValueError: python says no to 42");
    }

    /** Cancel ends the application KILLED and leaves no Python process of it on the machine. */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void cancelLeavesNoPythonProcess() throws Exception {
        Path script =
                script(
                        "endless-" + System.nanoTime() + ".py",
                        "import time",
                        "print('running until cancelled', flush=True)",
                        "while True:",
                        "    time.sleep(1)");
        String name = script.getFileName().toString();
        ApplicationId id = FlinkDriverCommand.submitDriver("-py", script.toString());
        await().atMost(STEP_TIMEOUT).until(() -> !pythonProcesses(name).isEmpty());

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", id.toString());
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains("KILLED");
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);
        await().atMost(Duration.ofSeconds(30)).until(() -> pythonProcesses(name).isEmpty());
        assertThat(DriverModeIT.jobManagerLog(id)).doesNotContain("Python process exits");
    }

    private static List<ProcessHandle> pythonProcesses(String scriptName) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(scriptName))
                .filter(p -> p.info().commandLine().orElse("").contains(" -u "))
                .toList();
    }

    /**
     * A requirements file naming {@code tinylib} and a cache directory holding its wheel (built
     * here, pure Python), so that the workers' {@code pip install --no-index --find-links} needs no
     * package index.
     */
    private static String requirementsWithCache(Path dir) throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        try (java.util.zip.ZipOutputStream wheel =
                new java.util.zip.ZipOutputStream(
                        Files.newOutputStream(cache.resolve("tinylib-1.0-py3-none-any.whl")))) {
            Map<String, String> entries = new java.util.LinkedHashMap<>();
            entries.put("tinylib/__init__.py", "MESSAGE = 'installed from -pyreq'\n");
            entries.put(
                    "tinylib-1.0.dist-info/METADATA",
                    "Metadata-Version: 2.1\nName: tinylib\nVersion: 1.0\n");
            entries.put(
                    "tinylib-1.0.dist-info/WHEEL",
                    "Wheel-Version: 1.0\nGenerator: PythonDriverIT\nRoot-Is-Purelib: true\n"
                            + "Tag: py3-none-any\n");
            entries.put(
                    "tinylib-1.0.dist-info/RECORD",
                    String.join(",,\n", entries.keySet()) + ",,\ntinylib-1.0.dist-info/RECORD,,\n");
            for (Map.Entry<String, String> e : entries.entrySet()) {
                wheel.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                wheel.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                wheel.closeEntry();
            }
        }
        Path file = Files.writeString(dir.resolve("requirements.txt"), "tinylib\n");
        return file + "#" + cache;
    }

    /** The directory of driver_steps.py and steps_lib.py, shipped with -pyfs. */
    private static Path pythonResources() throws Exception {
        return Path.of(PythonDriverIT.class.getResource("/python/driver_steps.py").toURI())
                .getParent();
    }

    private static Path script(String name, String... lines) throws IOException {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("python-scripts"));
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    /** Runs the distribution's PyFlink interpreter; its stdout. */
    private static String python(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(pyflink.resolve("bin/python").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
        return out;
    }

    private static long awaitPid(Path file) {
        return await().atMost(STEP_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Long.parseLong(Files.readString(file).trim()), pid -> pid > 0);
    }

    /** Resident memory of a process and its descendants, from /proc. */
    private static long residentMegabytes(long pid) {
        return Stream.concat(
                                Stream.of(ProcessHandle.of(pid).orElseThrow()),
                                ProcessHandle.of(pid).orElseThrow().descendants())
                        .mapToLong(p -> residentKilobytes(p.pid()))
                        .sum()
                / 1024;
    }

    private static long residentKilobytes(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** When the first job of the application (not the driver job) switched to RUNNING. */
    private static Instant firstJobRunning(String jobManagerLog, String prefix) {
        return jobManagerLog
                .lines()
                .filter(l -> l.contains("Job " + prefix))
                .filter(l -> l.contains("switched from state CREATED to RUNNING"))
                .findFirst()
                .map(
                        l ->
                                LocalDateTime.parse(l.substring(0, 23), LOG_TIME)
                                        .atZone(ZoneId.systemDefault())
                                        .toInstant())
                .orElseThrow(() -> new AssertionError("no job of the application ran"));
    }

    /** The lines of the finished files under {@code dir}, in its bucket directories. */
    private static List<String> rows(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .flatMap(f -> read(f).lines())
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
