package dev.flinkdriver.driver;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PythonDriverRunnerTest {

    @TempDir Path dir;

    @Test
    void aTracebackFailsTheDriverWithItsLastLine() {
        assertThatThrownBy(
                        () ->
                                PythonDriverRunner.run(
                                        () -> {
                                            System.out.println("some output");
                                            System.out.println(
                                                    "Traceback (most recent call last):");
                                            System.out.println(
                                                    "  File \"job.py\", line 2, in <module>");
                                            System.out.println("    raise ValueError('boom')");
                                            System.out.println("ValueError: boom");
                                            throw new RuntimeException(
                                                    "Python process exits with code: 1");
                                        }))
                .isInstanceOf(PythonProgramException.class)
                .hasMessage("ValueError: boom")
                .hasNoCause();
    }

    @Test
    void theLastOfChainedTracebacksCounts() {
        List<String> lines =
                List.of(
                        "Traceback (most recent call last):",
                        "  File \"a.py\", line 1",
                        "KeyError: 'x'",
                        "",
                        "During handling of the above exception, another exception occurred:",
                        "",
                        "Traceback (most recent call last):",
                        "  File \"a.py\", line 3",
                        "RuntimeError: wrapped",
                        "Java side: the process ended");
        assertThat(PythonDriverRunner.Traceback.last(lines))
                .get()
                .extracting(PythonDriverRunner.Traceback::exception)
                .isEqualTo("RuntimeError: wrapped");
    }

    @Test
    void aFailureWithoutTracebackStaysWhatItWas() {
        RuntimeException failure = new RuntimeException("Failed to start Python process.");
        assertThatThrownBy(
                        () ->
                                PythonDriverRunner.run(
                                        () -> {
                                            System.out.println("no traceback here");
                                            throw failure;
                                        }))
                .isSameAs(failure);
    }

    @Test
    void shippedPathsBecomeAbsoluteRemoteAndMissingOnesStay() throws Exception {
        Files.createDirectories(dir.resolve("app.zip/python/0"));
        Files.writeString(dir.resolve("app.zip/python/0/job.py"), "");
        Files.writeString(dir.resolve("app.zip/python/0/venv.zip"), "");
        Files.writeString(dir.resolve("app.zip/python/0/req.txt"), "");
        Files.createDirectories(dir.resolve("app.zip/python/1/cache"));
        File cwd = dir.toFile();

        assertThat(
                        PythonDriverRunner.arguments(
                                List.of("--python", "app.zip/python/0/job.py", "--input", "x"),
                                cwd))
                .containsExactly(
                        "--python",
                        dir.resolve("app.zip/python/0/job.py").toString(),
                        "--input",
                        "x");

        Configuration conf = new Configuration();
        conf.setString("python.files", "app.zip/python/0/job.py,hdfs:///libs/a.zip,not/here.py");
        conf.setString("python.archives", "app.zip/python/0/venv.zip#env");
        conf.setString("python.requirements", "app.zip/python/0/req.txt#app.zip/python/1/cache");
        PythonDriverRunner.absolutePaths(conf, cwd);
        assertThat(conf.toMap())
                .containsEntry(
                        "python.files",
                        dir.resolve("app.zip/python/0/job.py") + ",hdfs:///libs/a.zip,not/here.py")
                .containsEntry("python.archives", dir.resolve("app.zip/python/0/venv.zip") + "#env")
                .containsEntry(
                        "python.requirements",
                        dir.resolve("app.zip/python/0/req.txt")
                                + "#"
                                + dir.resolve("app.zip/python/1/cache"));
    }
}
