package dev.flinkdriver.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the driver finds its script: in the application's jar, else as a file. */
class SqlScriptDriverTest {

    @TempDir Path dir;

    @Test
    void theScriptOnTheClassPathWinsOverAFileOfThatName() throws Exception {
        Path classes = dir.resolve("classes");
        Path resource = classes.resolve(SqlScriptDriver.scriptResource("etl.sql"));
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, "SELECT 'from the jar';");
        // An existing cluster's TaskManager may run where some etl.sql lies around.
        Path stray = Files.writeString(dir.resolve("etl.sql"), "SELECT 'a stray file';");

        try (URLClassLoader loader = loaderOf(classes)) {
            assertThat(SqlScriptDriver.readScript(stray.toString(), loader))
                    .isEqualTo("SELECT 'from the jar';");
        }
    }

    @Test
    void withoutOneOnTheClassPathTheFileIsRead() throws Exception {
        Path script = Files.writeString(dir.resolve("etl.sql"), "SELECT 1;");
        try (URLClassLoader loader = loaderOf(Files.createDirectories(dir.resolve("empty")))) {
            assertThat(SqlScriptDriver.readScript(script.toString(), loader))
                    .isEqualTo("SELECT 1;");
            assertThatThrownBy(
                            () ->
                                    SqlScriptDriver.readScript(
                                            dir.resolve("missing.sql").toString(), loader))
                    .hasMessageContaining("missing.sql");
        }
    }

    private static URLClassLoader loaderOf(Path classes) throws Exception {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }
}
