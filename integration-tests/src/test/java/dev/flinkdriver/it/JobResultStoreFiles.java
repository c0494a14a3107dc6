package dev.flinkdriver.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** HA's job result store of an application, where the client's staging keeps it. */
final class JobResultStoreFiles {

    private JobResultStoreFiles() {}

    /**
     * Waits until {@code jobs} ended jobs' results are written. main() learns a job's result before
     * the dispatcher has written it to HA's job result store; Flink's {@code
     * FileSystemJobResultStore} creates that file in place, so a JobManager killed during the write
     * leaves an empty entry that every later attempt fails to read ("Could not retrieve JobResults
     * of globally-terminated jobs"): a hazard of Flink's, not of driver mode (see the README).
     * Tests about a JobManager lost between jobs kill once the ended jobs' results are stored.
     */
    static void awaitStored(String applicationId, int jobs, Duration timeout) {
        Path store =
                TestPaths.clientWorkDir()
                        .resolve("staging/.flink")
                        .resolve(applicationId)
                        .resolve("ha/job-result-store");
        await("the ended jobs' results in HA's job result store")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (!Files.isDirectory(store)) {
                                return false;
                            }
                            try (Stream<Path> files = Files.walk(store)) {
                                return files.filter(p -> p.toString().endsWith(".json"))
                                                .filter(p -> p.toFile().length() > 0)
                                                .count()
                                        >= jobs;
                            }
                        });
    }
}
