package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.ApplicationSavepoint;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.concurrent.Executors;
import org.apache.flink.util.concurrent.FutureUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplicationSavepointOperationTest {

    @TempDir java.nio.file.Path tmp;

    private static final Instant NOW = Instant.parse("2026-12-05T01:40:00Z");

    private final ApplicationSavepointOperation operation =
            new ApplicationSavepointOperation(
                    "0123456789abcdef",
                    "Flink Driver: com.acme.Main",
                    Executors.directExecutor(),
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    new Random(1));

    private final JobID a = new JobID();
    private final JobID b = new JobID();
    private final List<ApplicationSavepointOperation.Target> targets =
            List.of(
                    new ApplicationSavepointOperation.Target(1, a, "alpha"),
                    new ApplicationSavepointOperation.Target(3, b, "gamma"));

    @Test
    void everyJobsSavepointGoesIntoOneDirectoryWithAManifestByPosition() throws Exception {
        Path dir = operation.newDirectory(tmp.toUri().toString());
        List<JobID> asked = new ArrayList<>();

        String location =
                operation
                        .run(
                                dir,
                                targets,
                                true,
                                (job, into) -> {
                                    asked.add(job);
                                    return CompletableFuture.completedFuture(
                                            into + "/savepoint-" + job.toString().substring(0, 6));
                                })
                        .get();

        assertThat(location).isEqualTo(dir.toString());
        assertThat(dir.getName()).matches("application-savepoint-20261205-014000-[0-9a-f]{6}");
        assertThat(asked).containsExactly(a, b);
        ApplicationSavepoint manifest = ApplicationSavepoint.read(dir);
        assertThat(manifest.applicationId()).isEqualTo("0123456789abcdef");
        assertThat(manifest.applicationName()).isEqualTo("Flink Driver: com.acme.Main");
        assertThat(manifest.time()).isEqualTo(NOW);
        assertThat(manifest.flinkVersion()).isEqualTo(EnvironmentInformation.getVersion());
        assertThat(manifest.stopped()).isTrue();
        assertThat(manifest.jobs())
                .containsExactly(
                        new ApplicationSavepoint.Job(
                                1,
                                "alpha",
                                a.toString(),
                                "savepoint-" + a.toString().substring(0, 6)),
                        new ApplicationSavepoint.Job(
                                3,
                                "gamma",
                                b.toString(),
                                "savepoint-" + b.toString().substring(0, 6)));
    }

    @Test
    void aFailedJobSavepointFailsTheWholeAndLeavesNoManifest() {
        Path dir = operation.newDirectory(tmp.toUri().toString());

        CompletableFuture<String> result =
                operation.run(
                        dir,
                        targets,
                        true,
                        (job, into) ->
                                job.equals(b)
                                        ? FutureUtils.completedExceptionally(
                                                new IllegalStateException("not all tasks run"))
                                        : CompletableFuture.completedFuture(into + "/sp-a"));

        assertThatThrownBy(result::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ApplicationSavepointOperation.FailedException.class)
                .hasMessage(
                        "The stop-with-savepoint of job #3 'gamma' ("
                                + b
                                + ") failed: not all tasks run")
                .satisfies(
                        e ->
                                assertThat(
                                                ((ApplicationSavepointOperation.FailedException) e)
                                                        .someJobStopped())
                                        .as("job #1 was stopped")
                                        .isTrue());
        assertThat(
                        Files.exists(
                                java.nio.file.Path.of(dir.toUri())
                                        .resolve(ApplicationSavepoint.MANIFEST)))
                .isFalse();
    }

    @Test
    void anApplicationWithoutRunningJobsGetsAnEmptyManifest() throws Exception {
        Path dir = operation.newDirectory(tmp.toUri().toString());

        operation.run(dir, List.of(), false, (job, into) -> null).get();

        assertThat(ApplicationSavepoint.read(dir).jobs()).isEmpty();
        assertThat(ApplicationSavepoint.read(dir).stopped()).isFalse();
    }
}
