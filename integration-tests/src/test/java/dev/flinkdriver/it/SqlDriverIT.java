package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.TableDmlSyncApp;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Table API programs and SQL scripts ({@code run -D --sql}) as drivers, on the test YARN. */
@ExtendWith(TestYarn.class)
class SqlDriverIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(6);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void tableProgramWithDmlSyncRunsThreePrefixedJobsInOrder() throws Exception {
        Path out = TestPaths.itDir().resolve("dml-sync-" + System.nanoTime());
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        TestJars.jarOf(TableDmlSyncApp.class).toString(), out.toString());
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("3 jobs finished, 0 failed");
        // s3 holds the sum of s2, which holds s1 times ten: each INSERT saw its predecessor's end.
        assertThat(rows(out.resolve("s1"))).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(rows(out.resolve("s3"))).containsExactly("100");
        String prefix = end.getName() + ": ";
        assertThat(prefix).isEqualTo("Flink Driver: " + TableDmlSyncApp.class.getName() + ": ");
        List<String> finished = finishedJobs(DriverModeIT.jobManagerLog(id), end.getName());
        assertThat(finished)
                .containsExactly(
                        prefix + "insert-into_default_catalog.default_database.s1",
                        prefix + "insert-into_default_catalog.default_database.s2",
                        prefix + "insert-into_default_catalog.default_database.s3");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void sqlScriptRunsAnInsertAStatementSetAndAQuery() throws Exception {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("sql-" + System.nanoTime()));
        Path script = dir.resolve("orders.sql");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "-- A batch pipeline: one INSERT, one statement set, one query.",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "",
                        "CREATE TEMPORARY VIEW orders AS",
                        "  SELECT * FROM (VALUES",
                        "    (1, 'apple', 3), (2, 'pear', 5), (3, 'apple', 4)",
                        "  ) AS t(id, product, amount);  -- a comment; with a semicolon",
                        "",
                        sink(dir, "totals", "product STRING, total INT"),
                        sink(dir, "big", "id INT, product STRING"),
                        sink(dir, "small", "id INT, product STRING"),
                        "",
                        "INSERT INTO totals",
                        "  SELECT product, SUM(amount) FROM orders GROUP BY product;",
                        "",
                        "/* both INSERTs in one job; ';' inside a comment */",
                        "EXECUTE STATEMENT SET BEGIN",
                        "  INSERT INTO big SELECT id, product FROM orders WHERE amount > 3;",
                        "  INSERT INTO small SELECT id, product FROM orders WHERE amount <= 3;",
                        "END;",
                        "",
                        "SELECT product, COUNT(*) AS orders_of_product FROM orders GROUP BY product",
                        ""));
        long t0 = System.nanoTime();
        FlinkDriverCommand.Result submit =
                FlinkDriverCommand.run("run", "-D", "--sql", script.toString());
        assertThat(submit.exitCode()).as(submit.stderr()).isZero();
        ApplicationId id = ApplicationId.fromString(submit.applicationId());
        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        System.out.printf(
                "SQL test script end to end: %d s (client %d ms)%n", seconds, submit.millis());

        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getName()).isEqualTo("Flink Driver: orders.sql");
        // INSERT, statement set, query: three jobs.
        assertThat(end.getDiagnostics()).contains("3 jobs finished, 0 failed");
        assertThat(rows(dir.resolve("totals"))).containsExactlyInAnyOrder("apple,7", "pear,5");
        assertThat(rows(dir.resolve("big"))).containsExactlyInAnyOrder("2,pear", "3,apple");
        assertThat(rows(dir.resolve("small"))).containsExactly("1,apple");
        assertThat(TableExamplesIT.driverOutput(id))
                .contains("Flink SQL [orders.sql:16]> INSERT INTO totals")
                .containsPattern("\\| +apple \\| +2 \\|")
                .containsPattern("\\| +pear \\| +1 \\|");
        String prefix = "Flink Driver: orders.sql: ";
        assertThat(finishedJobs(DriverModeIT.jobManagerLog(id), end.getName()))
                .hasSize(3)
                .contains(
                        prefix + "insert-into_default_catalog.default_database.totals",
                        prefix
                                + "insert-into_default_catalog.default_database.big,"
                                + "default_catalog.default_database.small")
                .anyMatch(job -> job.startsWith(prefix + "SELECT `orders`.`product`"));
        assertThat(launcherJarsLeft()).isEmpty();
        // The planning above ran in the driver's lean TaskManager: this test is what tells
        // whether the driver.heap-memory and driver.taskmanager.* defaults still fit the
        // Table/SQL planner.
        assertThat(driverTaskManagerProcess(DriverModeIT.jobManagerLog(id)))
                .contains("taskHeapSize=320.000mb")
                .contains("frameworkHeapSize=64.000mb")
                .contains("frameworkOffHeapSize=64.000mb")
                .contains("jvmMetaspaceSize=192.000mb")
                .contains("jvmOverheadSize=128.000mb");
    }

    /**
     * The process the resource manager started the driver's TaskManager with, from its "will be
     * started on ... with TaskExecutorProcessSpec {...}" line: the driver's is the TaskManager
     * without network memory.
     */
    static String driverTaskManagerProcess(String jobManagerLog) {
        return jobManagerLog
                .lines()
                .filter(l -> l.contains(" will be started on ") && l.contains("networkMemSize=0 "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no driver TaskManager started"));
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aStatementFailingAtRunTimeFailsTheApplicationNamingIt() throws Exception {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("sql-" + System.nanoTime()));
        Path script = dir.resolve("broken.sql");
        Files.writeString(
                script,
                sink(dir, "target", "x INT")
                        + "\n\nINSERT INTO target\n  SELECT x FROM no_such_table;\n"
                        + "INSERT INTO target VALUES (1);\n");
        FlinkDriverCommand.Result submit =
                FlinkDriverCommand.run("run", "-D", "--sql", script.toString());
        assertThat(submit.exitCode()).as(submit.stderr()).isZero();
        ApplicationReport end =
                TestYarn.get()
                        .waitForFinalState(
                                ApplicationId.fromString(submit.applicationId()), APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains("SQL statement at line 4 of broken.sql failed: INSERT INTO target")
                .contains("no_such_table")
                .contains("0 jobs finished");
        assertThat(Files.exists(dir.resolve("target"))).as("the third statement ran").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing | @none | does not exist or is unreadable",
                "empty | -- only a comment; | holds no SQL statement",
                "syntax error | SELECT 1;\\nSELEC 2; | at line 2, column 1: "
            })
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBadScriptIsRefusedAndLeavesNothingBehind(String mistake, String text, String message)
            throws Exception {
        Path script = TestPaths.itDir().resolve("bad-" + mistake.replace(' ', '-') + ".sql");
        Files.deleteIfExists(script);
        if (!text.equals("@none")) {
            Files.writeString(script, text.replace("\\n", "\n"));
        }
        Set<Path> staging = StagingFiles.snapshot();
        long since = System.currentTimeMillis();

        FlinkDriverCommand.Result r =
                FlinkDriverCommand.run("run", "-D", "--sql", script.toString());

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(r.stderr())
                .startsWith("flink-driver: ")
                .contains(script.toString())
                .contains(message);
        assertThat(
                        TestYarn.get()
                                .applicationsNamedSince(
                                        "Flink Driver: " + script.getFileName(), since))
                .as("applications submitted")
                .isEmpty();
        assertThat(StagingFiles.newSince(staging)).isEmpty();
        assertThat(launcherJarsLeft()).isEmpty();
    }

    private static String sink(Path dir, String name, String columns) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ")\n  WITH ('connector' = 'filesystem', 'path' = '"
                + dir.resolve(name)
                + "', 'format' = 'csv');";
    }

    /** The lines of the finished files of a filesystem sink (hidden files are in progress). */
    static List<String> rows(Path sink) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sink)) {
            for (Path f :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList()) {
                rows.addAll(Files.readAllLines(f));
            }
        }
        return rows;
    }

    /**
     * Names of the jobs main() submitted that the JobManager saw finish, in order: those named
     * {@code <application name>: ...} (the driver job itself is named like the application). A
     * query's job is named after its SQL, over several log lines; they are joined by spaces.
     */
    static List<String> finishedJobs(String jobManagerLog, String applicationName) {
        Pattern finished =
                Pattern.compile(
                        "] - Job ((?:(?!\\n\\d{4}-\\d\\d-\\d\\d ).)*?) \\([0-9a-f]{32}\\)"
                                + " switched from state RUNNING to FINISHED",
                        Pattern.DOTALL);
        List<String> jobs = new ArrayList<>();
        Matcher m = finished.matcher(jobManagerLog);
        while (m.find()) {
            String name = m.group(1).replace('\n', ' ');
            if (name.startsWith(applicationName + ": ")) {
                jobs.add(name);
            }
        }
        return jobs;
    }

    /** The client's launcher jars of --sql applications, which it must delete. */
    private static List<Path> launcherJarsLeft() throws Exception {
        Path tmp = TestPaths.distDir().resolve("var/tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("sql-driver-")).toList();
        }
    }
}
