package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.ApplicationSavepoint;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.StringUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One application savepoint: a savepoint of every running job of the driver application (or a
 * stop-with-savepoint of each), all into one new directory, which gets the manifest once every
 * job's savepoint completed ({@link ApplicationSavepoint}). The manifest maps each job's position
 * to its savepoint, so the directory is complete or has no manifest: a failed application savepoint
 * is never restored from.
 */
final class ApplicationSavepointOperation {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationSavepointOperation.class);

    /** Takes one job's savepoint into a directory; completes with the savepoint's path. */
    interface JobSavepoint {
        CompletableFuture<String> take(JobID jobId, String directory);
    }

    /** A running job of the application, at its position among main()'s jobs. */
    record Target(int position, JobID jobId, String name) {}

    /** The application savepoint failed; says which job's and why. */
    static final class FailedException extends FlinkException {
        private static final long serialVersionUID = 1L;

        /** Whether some job was stopped before the failure (only for a stop). */
        private final boolean someJobStopped;

        FailedException(String message, Throwable cause, boolean someJobStopped) {
            super(message, cause);
            this.someJobStopped = someJobStopped;
        }

        boolean someJobStopped() {
            return someJobStopped;
        }
    }

    private static final DateTimeFormatter DIRECTORY_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String applicationId;
    private final String applicationName;
    private final Executor ioExecutor;
    private final Clock clock;
    private final Random random;

    /**
     * @param applicationId recorded in the manifest
     * @param applicationName recorded in the manifest
     * @param ioExecutor creates the directory and writes the manifest
     */
    ApplicationSavepointOperation(
            String applicationId,
            String applicationName,
            Executor ioExecutor,
            Clock clock,
            Random random) {
        this.applicationId = checkNotNull(applicationId);
        this.applicationName = checkNotNull(applicationName);
        this.ioExecutor = checkNotNull(ioExecutor);
        this.clock = checkNotNull(clock);
        this.random = checkNotNull(random);
    }

    /**
     * A new directory for an application savepoint in {@code targetDirectory}, named by its time
     * (UTC) so that a listing sorts them, and unique by a random suffix.
     */
    Path newDirectory(String targetDirectory) {
        return new Path(
                targetDirectory,
                "application-savepoint-"
                        + DIRECTORY_TIME.format(clock.instant())
                        + "-"
                        + StringUtils.byteToHexString(randomBytes(3)));
    }

    /**
     * Takes the savepoint of every target into {@code directory}, then writes the manifest.
     *
     * @param stop the savepoints stop their jobs
     * @param savepoint called for every target at once, in the caller's thread
     * @return the application savepoint's directory
     */
    CompletableFuture<String> run(
            Path directory, List<Target> targets, boolean stop, JobSavepoint savepoint) {
        LOG.info(
                "Application savepoint of {} jobs into {}{}.",
                targets.size(),
                directory,
                stop ? ", stopping them" : "");
        List<CompletableFuture<ApplicationSavepoint.Job>> jobs = new ArrayList<>();
        for (Target target : targets) {
            jobs.add(
                    savepoint
                            .take(target.jobId(), directory.toString())
                            .thenApply(
                                    path ->
                                            new ApplicationSavepoint.Job(
                                                    target.position(),
                                                    target.name(),
                                                    target.jobId().toString(),
                                                    ApplicationSavepoint.recordedPath(
                                                            directory, path))));
        }
        return CompletableFuture.allOf(jobs.toArray(new CompletableFuture<?>[0]))
                .handle(
                        (ignored, failure) -> {
                            if (failure != null) {
                                throw new CompletionException(failed(targets, jobs, stop));
                            }
                            return jobs.stream().map(CompletableFuture::join).toList();
                        })
                .thenApplyAsync(
                        done -> {
                            writeManifest(directory, done, stop);
                            return directory.toString();
                        },
                        ioExecutor);
    }

    private void writeManifest(Path directory, List<ApplicationSavepoint.Job> jobs, boolean stop) {
        try {
            directory.getFileSystem().mkdirs(directory);
            new ApplicationSavepoint(
                            applicationId,
                            applicationName,
                            clock.instant(),
                            EnvironmentInformation.getVersion(),
                            stop,
                            jobs)
                    .write(directory);
            LOG.info("Application savepoint {} of {} jobs completed.", directory, jobs.size());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot write the manifest of application savepoint " + directory, e);
        }
    }

    /** Names the first job whose savepoint failed, and how many there were. */
    private static FailedException failed(
            List<Target> targets,
            List<CompletableFuture<ApplicationSavepoint.Job>> jobs,
            boolean stop) {
        Target first = null;
        Throwable cause = null;
        int failedJobs = 0;
        boolean someStopped = false;
        for (int i = 0; i < targets.size(); i++) {
            CompletableFuture<ApplicationSavepoint.Job> job = jobs.get(i);
            if (job.isCompletedExceptionally()) {
                failedJobs++;
                if (first == null) {
                    first = targets.get(i);
                    cause = ExceptionUtils.stripCompletionException(job.handle((j, t) -> t).join());
                }
            } else {
                someStopped |= stop;
            }
        }
        String message =
                String.format(
                        "The %s of job #%d '%s' (%s) failed%s: %s",
                        stop ? "stop-with-savepoint" : "savepoint",
                        first.position(),
                        first.name(),
                        first.jobId(),
                        failedJobs > 1 ? " (and " + (failedJobs - 1) + " more)" : "",
                        rootMessage(cause));
        return new FailedException(message, cause, someStopped);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        return root == t ? message : t.getMessage() + " (" + message + ")";
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
