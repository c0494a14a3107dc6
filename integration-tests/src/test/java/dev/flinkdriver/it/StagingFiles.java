package dev.flinkdriver.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What Flink's YARN client stages under the tests' own staging directory (the client's work
 * directory is {@link TestPaths#clientWorkDir()}, not the distribution's var/). Tests compare
 * snapshots rather than expect an empty directory because applications of earlier tests may still
 * be ending (and deleting their own files) while a test runs.
 */
final class StagingFiles {

    private StagingFiles() {}

    static Set<Path> snapshot() throws Exception {
        Path root = root();
        if (!Files.exists(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return new HashSet<>(files.toList());
        }
    }

    /**
     * Paths that appeared since {@code before}. The staging home ({@code staging/.flink}) is not
     * counted: Flink creates it once, like a user's home on HDFS, and every application's directory
     * lives below it.
     */
    static Set<Path> newSince(Set<Path> before) throws Exception {
        Set<Path> home = Set.of(root(), root().resolve(".flink"));
        return snapshot().stream()
                .filter(p -> !before.contains(p) && !home.contains(p))
                .collect(Collectors.toSet());
    }

    private static Path root() {
        return TestPaths.clientWorkDir().resolve("staging");
    }
}
