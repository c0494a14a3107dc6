package dev.flinkdriver.client;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.driver.DriverInvokable;
import dev.flinkdriver.sql.SqlScriptDriver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run -D -m host:port} / {@code -yid}: a cluster that need not know flink-driver receives
 * the driver's code with the driver job.
 */
class ExistingClusterSubmissionTest {

    @TempDir Path dir;

    @Test
    void theDriverJobCarriesTheDriversCodeAndForAScriptTheSqlDriver() throws Exception {
        Path task = codeSource(DriverInvokable.class);
        Path api = codeSource(DriverOptions.class);
        Path sql = codeSource(SqlScriptDriver.class);

        assertThat(ExistingClusterSubmission.driverJars("com.example.App"))
                .containsExactly(task, api);
        assertThat(ExistingClusterSubmission.driverJars(SqlScriptSubmission.mainClass()))
                .containsExactly(task, api, sql);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSqlScriptIsSubmittedToTheClusterThatMNames() throws Exception {
        Path script = Files.writeString(dir.resolve("etl.sql"), "SELECT 1;");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nobody answers there
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code =
                FlinkDriverCli.run(
                        new String[] {
                            "run",
                            "-D",
                            "-Ddriver.client.connect-timeout=1s",
                            "-m",
                            "localhost:" + port,
                            "--sql",
                            script.toString()
                        },
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));

        // Past every check, refused only by the missing cluster.
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "flink-driver: Could not submit the driver job to http://localhost:"
                                + port);
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
