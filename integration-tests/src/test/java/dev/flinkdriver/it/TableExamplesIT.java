package dev.flinkdriver.it;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        ApplicationId id = runToSuccess("basics.GettingStartedExample");
        assertThat(driverOutput(id))
                .contains("number of customers")
                .contains("average birth year")
                .containsPattern("\\| +6 \\| +1979 \\|");
        // Both of its queries (print() and collect()) ran as jobs of the application.
        assertThat(DriverModeIT.jobManagerLog(id))
                .containsPattern(
                        "Job Flink Driver: "
                                + PACKAGE.replace(".", "\\.")
                                + "basics\\.GettingStartedExample: collect \\(");
    }

    /**
     * The other self-contained examples. ChangelogSocketExample needs a socket server, so it is
     * left out. StreamWindowSQLExample and UpdatingTopCityExample write their input to a temporary
     * file in main() that their jobs then read, as on one machine: the TaskManagers here share one
     * temporary directory with the driver (one host), where a real cluster would need a shared file
     * system.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "basics.WordCountSQLExample",
                "basics.StreamSQLExample",
                "basics.TemporalJoinSQLExample",
                "basics.StreamWindowSQLExample",
                "basics.UpdatingTopCityExample",
                "functions.AdvancedFunctionsExample"
            })
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void tableExampleSucceeds(String example) throws Exception {
        runToSuccess(example);
    }

    private static ApplicationId runToSuccess(String example) throws Exception {
        Path sharedTmp = TestPaths.itDir().resolve("table-examples-tmp");
        Files.createDirectories(sharedTmp);
        List<String> args = new ArrayList<>();
        args.add("-yD");
        args.add("env.java.opts.taskmanager=-Djava.io.tmpdir=" + sharedTmp);
        args.add("-c");
        args.add(PACKAGE + example);
        args.add(TestPaths.flinkTableExamplesJar().toString());
        ApplicationId id = FlinkDriverCommand.submitDriver(args.toArray(String[]::new));
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as("%s: %s", example, end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).doesNotContain(" 0 jobs finished");
        return id;
    }

    /** What main() printed: the driver's stdout, in its TaskManager's container log. */
    static String driverOutput(ApplicationId id) throws Exception {
        return TestYarn.get().containerLogFiles(id, "taskmanager.out");
    }
}
