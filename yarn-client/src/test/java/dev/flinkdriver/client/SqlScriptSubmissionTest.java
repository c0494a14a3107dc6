package dev.flinkdriver.client;

import dev.flinkdriver.sql.SqlScriptDriver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher jar of {@code run -D --sql}: all an existing cluster receives of the script, since
 * nothing is shipped there as a file.
 */
class SqlScriptSubmissionTest {

    @TempDir Path dir;

    @Test
    void theLauncherJarNamesTheDriverAndCarriesTheScript() throws Exception {
        String text = "SET 'execution.runtime-mode' = 'batch';\nSELECT 'ä';\n";
        Path script = Files.writeString(dir.resolve("etl.sql"), text, StandardCharsets.UTF_8);

        SqlScriptSubmission submission =
                SqlScriptSubmission.prepare(script.toString(), dir.resolve("work"));

        Path jar = submission.launcherJar();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().get(Attributes.Name.MAIN_CLASS))
                    .isEqualTo(SqlScriptDriver.class.getName());
        }
        assertThat(submission.programArgs()).containsExactly("etl.sql");
        // What the driver's main() reads through the user code class loader.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                InputStream in =
                        loader.getResourceAsStream(SqlScriptDriver.scriptResource("etl.sql"))) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
        submission.delete();
        assertThat(jar).doesNotExist();
    }
}
