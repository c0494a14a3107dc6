package dev.flinkdriver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code apps.FailoverApp} leaves in its trace directory: one {@code main-<attempt>} file per
 * main() run, one {@code runs/job-<n>-<uuid>} file per task run, and {@code
 * results/main-<attempt>-job-<n>} with the accumulator value execute() returned.
 */
final class FailoverTraces {

    private FailoverTraces() {}

    /** A fresh trace directory under the tests' own directory. */
    static Path newDir(String name) throws IOException {
        return Files.createDirectories(TestPaths.itDir().resolve(name + "-" + System.nanoTime()));
    }

    /** How often main() ran. */
    static long mainRuns(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("main-")).count();
        }
    }

    /** How often each job's task ran, by job number. */
    static Map<Integer, Long> taskRuns(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            return files.map(f -> Integer.parseInt(f.getFileName().toString().split("-")[1]))
                    .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
        }
    }

    /** The accumulator value that main() run {@code attempt} got from execute() of {@code job}. */
    static String result(Path dir, int attempt, int job) throws IOException {
        Path file = dir.resolve("results").resolve("main-" + attempt + "-job-" + job);
        assertThat(file).as("main() run %d finished job %d", attempt, job).exists();
        return Files.readString(file);
    }
}
