package dev.flinkdriver.it;

import dev.flinkdriver.driver.DriverRpcExecutor;
import dev.flinkdriver.it.apps.LargePlanApp;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Driver mode as a user runs it: {@code bin/flink-driver run -D ...} against a real YARN. A main()
 * that throws is HistoryIT's failed application; DAEMON jobs cancelled once the NORMAL ones ended
 * are asserted by DriverFailoverIT (the driver lost while job 3 runs) and ExistingClusterIT.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DriverModeIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(3);

    /** A line of WordCount's output: {@code (word,count)}. */
    private static final Pattern COUNT = Pattern.compile("\\((\\w+),(\\d+)\\)");

    @Test
    void multiJobExampleRunsInTheClusterAfterTheClientExited() throws Exception {
        Path output = TestPaths.itDir().resolve("multi-job-" + System.nanoTime());
        Path exampleJar = TestPaths.distDir().resolve("examples/multi-job-example.jar");

        long since = System.currentTimeMillis();
        // Bare -D between dynamic properties, in any order.
        FlinkDriverCommand.Result submit =
                FlinkDriverCommand.run(
                        "run",
                        "-Dparallelism.default=1",
                        "-m",
                        "yarn-cluster",
                        "-D",
                        "-Ddriver.job.name-prefix=it-multi: ",
                        exampleJar.toString(),
                        "--output",
                        output.toString());

        Instant clientReturned = Instant.now();
        assertThat(submit.exitCode()).as(submit.stderr()).isZero();
        assertThat(
                        TestYarn.get()
                                .applicationsNamedSince(
                                        "Flink Driver: dev.flinkdriver.examples.MultiJobExample",
                                        since))
                .as("exactly one YARN application")
                .hasSize(1);
        assertThat(submit.stdout())
                .contains("Tracking URL: http")
                .contains("flink-driver status application_");
        ApplicationId id = ApplicationId.fromString(submit.applicationId());
        ApplicationReport atReturn = TestYarn.get().yarnClient().getApplicationReport(id);
        // Not RUNNING: the ApplicationMaster takes seconds to start, so a client that waited for
        // it (as Flink's does) would be caught here.
        assertThat(atReturn.getYarnApplicationState())
                .as("the client returns once YARN has accepted the application")
                .isEqualTo(YarnApplicationState.ACCEPTED);
        assertThat(atReturn.getApplicationTags()).contains("flink-driver");
        assertThat(atReturn.getName())
                .isEqualTo("Flink Driver: dev.flinkdriver.examples.MultiJobExample");

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getYarnApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("SUCCEEDED").contains("4 jobs finished");
        assertThat(Files.readAllLines(output.resolve("results.txt")))
                .containsExactly(
                        "words {a=1, alive=1, an=1, application=2, client=1, driver=2, flink=3,"
                                + " jobs=1, keeps=1, main=1, mode=1, of=2, on=1, runs=2, the=3,"
                                + " without=1, yarn=1}",
                        "sum-of-squares 338350",
                        "primes-below-1000 168",
                        "total 338518");
        String log = jobManagerLog(id);
        for (String job : List.of("word-count", "sum-of-squares", "primes-below-1000", "total")) {
            assertThat(finishedAt(log, "it-multi: " + job))
                    .as("job %s FINISHED with its prefixed name", job)
                    .isNotNull();
        }
        assertThat(finishedAt(log, "it-multi: word-count"))
                .as("the client returned before the first user job finished")
                .isAfter(clientReturned);
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofSeconds(60));
    }

    /**
     * Also proves the platform: Flink's own program from the assembled distribution runs on the
     * test YARN and the application gives back its containers. (A plain Flink session from the
     * distribution, deployed with Flink's own YarnClusterDescriptor, is ExistingClusterIT's.)
     */
    @Test
    void flinksOwnWordCountRunsInDriverMode() throws Exception {
        Path output = TestPaths.itDir().resolve("driver-wordcount-" + System.nanoTime());
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-c",
                        "org.apache.flink.streaming.examples.wordcount.WordCount",
                        TestPaths.flinkExamplesJar().toString(),
                        "--execution-mode",
                        "BATCH",
                        "--output",
                        output.toString());
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getYarnApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(readCounts(output)).isEqualTo(expectedCounts());
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofSeconds(60));
    }

    /** The counts WordCount must produce for its built-in text, tokenised as it does. */
    private static Map<String, Integer> expectedCounts() throws Exception {
        try (URLClassLoader cl =
                new URLClassLoader(new URL[] {TestPaths.flinkExamplesJar().toUri().toURL()})) {
            String[] text =
                    (String[])
                            cl.loadClass(
                                            "org.apache.flink.streaming.examples.wordcount.util.WordCountData")
                                    .getField("WORDS")
                                    .get(null);
            Map<String, Integer> counts = new TreeMap<>();
            for (String line : text) {
                for (String token : line.toLowerCase().split("\\W+")) {
                    if (!token.isEmpty()) {
                        counts.merge(token, 1, Integer::sum);
                    }
                }
            }
            return counts;
        }
    }

    private static Map<String, Integer> readCounts(Path output) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = COUNT.matcher(line);
                    if (m.matches()) {
                        counts.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
                    }
                }
            }
        }
        return counts;
    }

    /**
     * main()'s jobs go to the dispatcher over RPC; a plan too large for one RPC message (a function
     * holding 12 MiB, over Flink's 10 MiB pekko.framesize) goes through the REST API and still
     * runs.
     */
    @Test
    void aPlanTooLargeForOneRpcMessageIsSubmittedThroughRest() throws Exception {
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-Ddriver.job.name-prefix=it-plans: ",
                        TestJars.jarOf(LargePlanApp.class).toString(),
                        "12");

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("2 jobs finished");
        String driverLog = TestYarn.get().containerLogFiles(id, "taskmanager.log");
        assertThat(driverLog)
                .containsPattern(
                        LogLines.pattern(
                                DriverRpcExecutor.SUBMITTING_OVER_RPC,
                                Pattern.quote("it-plans: small-plan"),
                                "\\w+"))
                .containsPattern(
                        LogLines.pattern(
                                DriverRpcExecutor.PLAN_TOO_LARGE_FOR_RPC,
                                Pattern.quote("it-plans: large-plan"),
                                "\\w+",
                                "\\d+",
                                "\\d+"));
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofSeconds(60));
    }

    /** When the JobManager log says the job FINISHED, or null. */
    static Instant finishedAt(String jobManagerLog, String jobName) {
        String marker = "Job " + jobName + " (";
        return jobManagerLog
                .lines()
                .filter(
                        l ->
                                l.contains(marker)
                                        && l.contains("switched from state RUNNING to FINISHED"))
                .findFirst()
                .map(
                        l ->
                                LocalDateTime.parse(l.substring(0, 23), LOG_TIME)
                                        .atZone(ZoneId.systemDefault())
                                        .toInstant())
                .orElse(null);
    }

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** What an operator reads in the JobManager's container log. */
    static String jobManagerLog(ApplicationId id) throws Exception {
        Path appLogs = TestYarn.get().containerLogs().resolve(id.toString());
        try (Stream<Path> files = Files.walk(appLogs)) {
            Path log =
                    files.filter(p -> p.getFileName().toString().equals("jobmanager.log"))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError("no jobmanager.log in " + appLogs));
            return Files.readString(log);
        }
    }
}
