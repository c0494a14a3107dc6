package dev.flinkdriver.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad SQL scripts are refused by the client itself, before it talks to YARN: no YARN is configured
 * here, so a test that got past the check would fail differently (exit 1, "Cannot reach YARN").
 */
class SqlScriptCheckTest {

    @TempDir Path dir;

    private record Outcome(int exitCode, String stdout, String stderr) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                FlinkDriverCli.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Outcome outcome, String message) {
        assertThat(outcome.exitCode()).as(outcome.stderr()).isEqualTo(2);
        assertThat(outcome.stderr().strip().lines()).hasSize(1);
        assertThat(outcome.stderr()).startsWith("flink-driver: ").contains(message);
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void aMissingScriptIsRefused() {
        Path missing = dir.resolve("missing.sql");
        assertRefused(
                run("run", "-D", "--sql", missing.toString()),
                "The SQL script " + missing + " does not exist or is unreadable");
    }

    @Test
    void aDirectoryIsNoScript() {
        assertRefused(
                run("run", "-D", "--sql", dir.toString()),
                "The SQL script " + dir + " does not exist or is unreadable");
    }

    @Test
    void aScriptOfCommentsOnlyIsEmpty() throws Exception {
        Path empty = dir.resolve("empty.sql");
        Files.writeString(empty, "-- nothing to run;\n/* at all */\n\n");
        assertRefused(
                run("run", "-D", "--sql", empty.toString()),
                "The SQL script " + empty + " holds no SQL statement");
    }

    @Test
    void aSyntaxErrorIsRefusedWithItsLineAndColumn() throws Exception {
        Path bad = dir.resolve("bad.sql");
        Files.writeString(
                bad,
                "-- a pipeline\n"
                        + "CREATE TABLE t (x INT) WITH ('connector' = 'datagen');\n"
                        + "INSERT INTO s\n"
                        + "  SELECT x FORM t;\n");
        Outcome outcome = run("run", "-D", "--sql", bad.toString());
        assertRefused(
                outcome,
                "Syntax error in the SQL script " + bad + " at line 4, column 17: Encountered");
        assertThat(outcome.stderr()).doesNotContain("Was expecting");
    }

    @Test
    void aJarNextToTheScriptIsRefused() throws Exception {
        Path script = dir.resolve("ok.sql");
        Files.writeString(script, "SELECT 1;");
        assertRefused(
                run("run", "-D", "--sql", script.toString(), "app.jar"),
                "--sql runs a SQL script instead of a jar; remove app.jar");
    }

    @Test
    void aGoodScriptPassesTheChecks() throws Exception {
        Path script = dir.resolve("ok.sql");
        Files.writeString(
                script,
                "SET 'table.dml-sync' = 'true';\n"
                        + "INSERT INTO unknown_yet SELECT 1;\n"
                        + "EXECUTE STATEMENT SET BEGIN\n"
                        + "  INSERT INTO a SELECT 1;\n"
                        + "  INSERT INTO b SELECT 2;\n"
                        + "END;\n");
        assertThat(SqlScriptSubmission.check(script.toString())).isEqualTo(script);
    }

    @Test
    void theDistributionsExamplePipelinePassesTheChecks() throws Exception {
        Path example = Path.of("../examples/src/main/sql/pipeline.sql").toAbsolutePath();
        assertThat(SqlScriptSubmission.check(example.toString())).isEqualTo(example);
    }
}
