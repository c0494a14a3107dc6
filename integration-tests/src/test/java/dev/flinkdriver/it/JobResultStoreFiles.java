package dev.flinkdriver.it;

import org.apache.flink.api.common.JobID;

import java.io.IOException;
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
     * leaves an empty entry, which the next JobManager removes ({@code AbandonedResultEntries}),
     * and that job runs again. Tests about a JobManager lost between jobs, which count every job's
     * runs, kill once the ended jobs' results are stored.
     */
    static void awaitStored(String applicationId, int jobs, Duration timeout) {
        Path store = store(applicationId);
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

    /**
     * Leaves what a JobManager killed while creating a job's result entry leaves: an empty {@code
     * <job id>_DIRTY.json} in the application's job result store, which the application's ended
     * jobs created.
     */
    static Path abandonEntry(String applicationId) throws IOException {
        Path store = store(applicationId);
        try (Stream<Path> clusters = Files.list(store)) {
            Path cluster = clusters.filter(Files::isDirectory).findFirst().orElseThrow();
            return Files.createFile(cluster.resolve(new JobID() + "_DIRTY.json"));
        }
    }

    private static Path store(String applicationId) {
        return TestPaths.clientWorkDir()
                .resolve("staging/.flink")
                .resolve(applicationId)
                .resolve("ha/job-result-store");
    }
}
