package dev.flinkdriver.driver;

import dev.flinkdriver.api.ApplicationSavepoint;
import dev.flinkdriver.api.DriverJobMarkers;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Optional;

/**
 * Which savepoint each job main() submits restores from.
 *
 * <p>With an application savepoint ({@code run -D -s <application savepoint>}): the job at position
 * n restores from the savepoint recorded for position n if its name is the recorded one; a job
 * whose position has none starts empty; a job whose name differs fails before it runs, naming both,
 * unless {@code -n} ({@code execution.state-recovery.ignore-unclaimed-state}) allows it, in which
 * case it restores from that savepoint what it can. {@code -n} and {@code -rm} ({@code
 * execution.state-recovery.claim-mode}) apply to each restored job.
 *
 * <p>With a Flink savepoint of one job ({@code -s <savepoint>}) every job gets it through main()'s
 * configuration, as in Flink; since it holds one job's state, a second job is refused.
 */
final class DriverJobRestore {

    private static final Logger LOG = LoggerFactory.getLogger(DriverJobRestore.class);

    @Nullable private final ApplicationSavepoint manifest;

    @Nullable private final Path directory;

    @Nullable private final String plainSavepoint;

    private final boolean allowNonRestoredState;

    private final RecoveryClaimMode claimMode;

    private DriverJobRestore(
            @Nullable ApplicationSavepoint manifest,
            @Nullable Path directory,
            @Nullable String plainSavepoint,
            boolean allowNonRestoredState,
            RecoveryClaimMode claimMode) {
        this.manifest = manifest;
        this.directory = directory;
        this.plainSavepoint = plainSavepoint;
        this.allowNonRestoredState = allowNonRestoredState;
        this.claimMode = claimMode;
    }

    static DriverJobRestore none() {
        return new DriverJobRestore(null, null, null, false, RecoveryClaimMode.DEFAULT);
    }

    /**
     * @param programConfiguration main()'s configuration, with Flink's {@code
     *     execution.state-recovery.*} settings of {@code -s}, {@code -n} and {@code -rm}
     * @param driverJobConfiguration the driver job's configuration, which names the application
     *     savepoint ({@link DriverJobMarkers#applicationSavepoint})
     */
    static DriverJobRestore of(
            Configuration programConfiguration, Configuration driverJobConfiguration)
            throws IOException, ApplicationSavepoint.InvalidManifestException {
        boolean allowNonRestoredState =
                programConfiguration.get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE);
        RecoveryClaimMode claimMode = programConfiguration.get(StateRecoveryOptions.RESTORE_MODE);
        Optional<String> application =
                DriverJobMarkers.applicationSavepoint(driverJobConfiguration);
        if (application.isPresent()) {
            Path directory = new Path(application.get());
            ApplicationSavepoint manifest = ApplicationSavepoint.read(directory);
            LOG.info(
                    "main()'s jobs restore from application savepoint {} of {} ({} jobs, {}).",
                    directory,
                    manifest.applicationId(),
                    manifest.jobs().size(),
                    manifest.time());
            return new DriverJobRestore(
                    manifest, directory, null, allowNonRestoredState, claimMode);
        }
        return new DriverJobRestore(
                null,
                null,
                programConfiguration.get(StateRecoveryOptions.SAVEPOINT_PATH),
                allowNonRestoredState,
                claimMode);
    }

    /** Whether jobs restore from an application savepoint, each by its position. */
    boolean restoresByPosition() {
        return manifest != null;
    }

    /**
     * Sets the restore settings of the job main() submits at {@code position}.
     *
     * @param name the job's name as main() gave it
     * @throws IllegalStateException if the job must not run: its name differs from the one the
     *     application savepoint recorded at its position, or it is a second job restoring from one
     *     job's savepoint
     */
    void apply(StreamGraph streamGraph, int position, String name) {
        if (manifest == null) {
            checkOneJob(streamGraph, position, name);
            return;
        }
        Optional<ApplicationSavepoint.Job> recorded = manifest.job(position);
        if (recorded.isEmpty()) {
            LOG.info(
                    "Job #{} '{}' starts empty: application savepoint {} has no savepoint for"
                            + " position {}.",
                    position,
                    name,
                    directory,
                    position);
            streamGraph.setSavepointRestoreSettings(SavepointRestoreSettings.none());
            return;
        }
        String savepoint = ApplicationSavepoint.resolve(directory, recorded.get()).toString();
        if (!recorded.get().name().equals(name)) {
            String mismatch =
                    "Job #"
                            + position
                            + " is '"
                            + name
                            + "', but application savepoint "
                            + directory
                            + " recorded '"
                            + recorded.get().name()
                            + "' at position "
                            + position;
            if (!allowNonRestoredState) {
                throw new IllegalStateException(
                        mismatch
                                + "; run with -n/--allowNonRestoredState to restore it from that"
                                + " savepoint anyway");
            }
            LOG.warn("{}; restoring what it can (allowNonRestoredState).", mismatch);
        }
        LOG.info("Job #{} '{}' restores from {}.", position, name, savepoint);
        streamGraph.setSavepointRestoreSettings(
                SavepointRestoreSettings.forPath(savepoint, allowNonRestoredState, claimMode));
    }

    private void checkOneJob(StreamGraph streamGraph, int position, String name) {
        if (plainSavepoint == null || position == 1) {
            return;
        }
        SavepointRestoreSettings settings = streamGraph.getSavepointRestoreSettings();
        if (settings.restoreSavepoint() && plainSavepoint.equals(settings.getRestorePath())) {
            throw new IllegalStateException(
                    "main() submitted a second job, '"
                            + name
                            + "', but the savepoint "
                            + plainSavepoint
                            + " given with -s holds one job's state; restore an application of"
                            + " several jobs from an application savepoint (flink-driver"
                            + " savepoint/stop <applicationId>)");
        }
    }
}
