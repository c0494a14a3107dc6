package dev.flinkdriver.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationArchiveTest {

    @TempDir Path dir;

    @Test
    void holdsTheJarStoredAndPythonFilesWithTheirDirectories() throws IOException {
        Path jar = Files.write(dir.resolve("flink-python-2.3.0.jar"), new byte[] {1, 2, 3});
        Path script = Files.writeString(dir.resolve("job.py"), "print('hi')\n");
        Path pkg = Files.createDirectories(dir.resolve("src/etl"));
        Files.writeString(pkg.resolve("__init__.py"), "");
        Files.writeString(pkg.resolve("main.py"), "x = 1\n");

        ApplicationArchive archive =
                ApplicationArchive.create(
                        dir.resolve("work"),
                        jar,
                        List.of(),
                        Map.of("python/0/job.py", script, "python/1/src", dir.resolve("src")));
        try (ZipFile zip = new ZipFile(archive.zip().toFile())) {
            ZipEntry jarEntry = zip.getEntry("app/flink-python-2.3.0.jar");
            assertThat(jarEntry.getMethod()).isEqualTo(ZipEntry.STORED);
            assertThat(zip.getInputStream(jarEntry).readAllBytes()).containsExactly(1, 2, 3);
            assertThat(
                            new String(
                                    zip.getInputStream(zip.getEntry("python/0/job.py"))
                                            .readAllBytes(),
                                    StandardCharsets.UTF_8))
                    .isEqualTo("print('hi')\n");
            assertThat(zip.getEntry("python/1/src/etl/__init__.py")).isNotNull();
            assertThat(zip.getEntry("python/1/src/etl/main.py")).isNotNull();
        } finally {
            archive.delete();
        }
        assertThat(archive.jarInContainer())
                .isEqualTo("flink-driver-app.zip/app/flink-python-2.3.0.jar");
        assertThat(archive.jarDirInContainer()).isEqualTo("flink-driver-app.zip/app");
    }
}
