package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.MainsInTurnApp;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's own Table API and SQL examples (flink-examples-table 2.3.0, unchanged) in driver mode:
 * they need the Table stack in lib/ and nothing in their jar.
 */
@ExtendWith(TestYarn.class)
class TableExamplesIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(6);

    private static final String PACKAGE = "org.apache.flink.table.examples.java.";

    /** GettingStartedExample collects its result and throws unless it is the expected one. */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void gettingStartedExampleSucceedsAndPrintsItsResult() throws Exception {
        ApplicationId id =
                runToSuccess(
                        "-c",
                        PACKAGE + "basics.GettingStartedExample",
                        TestPaths.flinkTableExamplesJar().toString());
        assertThat(driverOutput(id))
                .contains("number of customers")
                .contains("average birth year")
                .containsPattern("\\| +6 \\| +1979 \\|");
        // Both of its queries (print() and collect()) ran as jobs of the application.
        assertThat(TestYarn.get().yarnClient().getApplicationReport(id).getDiagnostics())
                .contains("SUCCEEDED: 2 jobs finished, 0 failed");
        assertThat(DriverModeIT.jobManagerLog(id))
                .containsPattern(
                        "Job Flink Driver: "
                                + PACKAGE.replace(".", "\\.")
                                + "basics\\.GettingStartedExample: collect \\(");
    }

    /**
     * The other self-contained examples, their main()s one after the other in one driver
     * application (their jar, unchanged, given with --libjars): each printed its result, from
     * main() or from its tasks, and each job they submitted finished. ChangelogSocketExample needs
     * a socket server, so it is left out. StreamWindowSQLExample and UpdatingTopCityExample write
     * their input to a temporary file in main() that their jobs then read, as on one machine: the
     * TaskManagers here share one temporary directory with the driver (one host), where a real
     * cluster would need a shared file system.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theOtherTableExamplesSucceedOneAfterTheOtherInOneApplication() throws Exception {
        List<String> examples =
                List.of(
                        "basics.WordCountSQLExample",
                        "basics.StreamSQLExample",
                        "basics.TemporalJoinSQLExample",
                        "basics.StreamWindowSQLExample",
                        "basics.UpdatingTopCityExample",
                        "functions.AdvancedFunctionsExample");
        List<String> args = new ArrayList<>();
        args.add("--libjars");
        args.add(TestPaths.flinkTableExamplesJar().toString());
        args.add(TestJars.jarOf(MainsInTurnApp.class).toString());
        examples.forEach(e -> args.add(PACKAGE + e));
        ApplicationId id = runToSuccess(args.toArray(String[]::new));

        ApplicationReport end = TestYarn.get().yarnClient().getApplicationReport(id);
        assertThat(end.getDiagnostics()).contains("SUCCEEDED: 8 jobs finished, 0 failed");
        String prefix = end.getName() + ": ";
        assertThat(SqlDriverIT.finishedJobs(DriverModeIT.jobManagerLog(id), end.getName()))
                .as("the examples' jobs, in the order their main()s ran")
                .satisfiesExactly(
                        job -> assertThat(job).startsWith(prefix + "SELECT `WordTable`.`word`"),
                        job -> assertThat(job).isEqualTo(prefix + "Flink Streaming Job"),
                        job -> assertThat(job).isEqualTo(prefix + "Flink Streaming Job"),
                        job ->
                                assertThat(job)
                                        .startsWith(
                                                prefix + "SELECT CAST(TUMBLE_START(`orders`.`ts`"),
                        job ->
                                assertThat(job)
                                        .isEqualTo(
                                                prefix
                                                        + "insert-into_default_catalog"
                                                        + ".default_database.PopulationUpdates"),
                        job -> assertThat(job).startsWith(prefix + "SELECT `States`.`state`"),
                        job ->
                                assertThat(job)
                                        .startsWith(
                                                prefix
                                                        + "SELECT `customers`.`name`,"
                                                        + " `LastDatedValueFunction`"),
                        job ->
                                assertThat(job)
                                        .startsWith(
                                                prefix
                                                        + "SELECT `customers`.`name`,"
                                                        + " `InternalRowMergerFunction`"));

        Map<String, String> printed = outputOfEachMain(id);
        assertThat(printed.keySet())
                .as("every main() ran, in turn")
                .containsExactlyElementsOf(examples.stream().map(e -> PACKAGE + e).toList());
        assertThat(printed.get(PACKAGE + "basics.WordCountSQLExample"))
                .containsPattern("\\| +Ciao \\| +1 \\|")
                .containsPattern("\\| +Hello \\| +3 \\|");
        assertThat(printed.get(PACKAGE + "basics.StreamSQLExample"))
                .containsPattern("Job with JobID \\w+ has finished");
        assertThat(printed.get(PACKAGE + "basics.TemporalJoinSQLExample"))
                .containsPattern("Job with JobID \\w+ has finished");
        assertThat(printed.get(PACKAGE + "basics.StreamWindowSQLExample"))
                .containsPattern("\\| +\\+I \\| +2019-12-12 00:00:00.000 \\| +3 \\| +10 \\| +3 \\|")
                .containsPattern("\\| +\\+I \\| +2019-12-12 00:00:05.000 \\| +3 \\| +6 \\| +2 \\|");
        assertThat(printed.get(PACKAGE + "basics.UpdatingTopCityExample"))
                .contains("+I[CA, Los Angeles, 2015, 13251000]")
                .contains("+I[TX, Dallas, 2015, 7109280]");
        assertThat(printed.get(PACKAGE + "functions.AdvancedFunctionsExample"))
                .containsPattern("\\| +Guillermo Smith \\| +\\(5, 2020-12-05\\) \\|")
                .containsPattern("\\| +Guillermo Smith \\| +\\(1992-12-12, New Jersey");
        // What the DataStream examples' tasks printed, in the user TaskManagers' stdout.
        assertThat(driverOutput(id))
                .contains("Order{user=1, product='beer', amount=3}")
                .contains(
                        "EnrichedTransaction{id=trx1, trxTime=1970-01-01T00:00:01Z,"
                                + " currencyCode='USD', amount=1.0, totalEuro=0.8}");
    }

    /** What each main() printed, by class: the driver's stdout split at the app's markers. */
    private static Map<String, String> outputOfEachMain(ApplicationId id) throws Exception {
        List<String> withMarkers = new ArrayList<>();
        try (Stream<Path> files =
                Files.walk(TestYarn.get().containerLogs().resolve(id.toString()))) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals("taskmanager.out"))
                            .toList()) {
                String out = Files.readString(file);
                if (out.contains(MainsInTurnApp.MARKER)) {
                    withMarkers.add(out);
                }
            }
        }
        assertThat(withMarkers).as("the driver's stdout").hasSize(1);
        String driverStdout = withMarkers.get(0);
        Map<String, String> printed = new LinkedHashMap<>();
        Matcher section =
                Pattern.compile(
                                Pattern.quote(MainsInTurnApp.MARKER)
                                        + "(\\S+)\\n(.*?)(?="
                                        + Pattern.quote(MainsInTurnApp.MARKER)
                                        + "|\\z)",
                                Pattern.DOTALL)
                        .matcher(driverStdout);
        while (section.find()) {
            printed.put(section.group(1), section.group(2));
        }
        return printed;
    }

    private static ApplicationId runToSuccess(String... run) throws Exception {
        Path sharedTmp = TestPaths.itDir().resolve("table-examples-tmp");
        Files.createDirectories(sharedTmp);
        List<String> args = new ArrayList<>();
        args.add("-yD");
        args.add("env.java.opts.taskmanager=-Djava.io.tmpdir=" + sharedTmp);
        args.addAll(List.of(run));
        ApplicationId id = FlinkDriverCommand.submitDriver(args.toArray(String[]::new));
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        return id;
    }

    /** What main() printed: the driver's stdout, in its TaskManager's container log. */
    static String driverOutput(ApplicationId id) throws Exception {
        return TestYarn.get().containerLogFiles(id, "taskmanager.out");
    }
}
