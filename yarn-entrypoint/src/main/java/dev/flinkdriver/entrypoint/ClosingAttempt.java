package dev.flinkdriver.entrypoint;

import dev.flinkdriver.entrypoint.JobManagerAttemptBudget.LostAttempt;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.blob.BlobUtils;
import org.apache.flink.runtime.highavailability.zookeeper.ZooKeeperLeaderElectionHaServices;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.runtime.util.ZooKeeperUtils;
import org.apache.flink.util.concurrent.Executors;
import org.apache.flink.yarn.YarnConfigKeys;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.ApplicationConstants;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The closing attempt of a driver application: when YARN starts an attempt beyond the user's {@code
 * yarn.application-attempts} (the one the client adds, see {@link JobManagerAttemptBudget}), this
 * ApplicationMaster starts no JobManager. It registers with YARN, removes what the lost JobManager
 * left (staging directory, high-availability data) and unregisters the application FAILED with
 * diagnostics that say the JobManager was lost. Unregistering ends the application, and YARN stops
 * every container still running for it (TaskManagers kept from the lost attempt).
 */
final class ClosingAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingAttempt.class);

    private ClosingAttempt() {}

    /**
     * Ends the application if this attempt is the closing one.
     *
     * @return true if it did: the entrypoint must then start no cluster
     */
    static boolean endIfAttemptsSpent(
            Configuration configuration, Map<String, String> env, int attempt) {
        JobManagerAttemptBudget budget = JobManagerAttemptBudget.of(configuration);
        if (attempt <= budget.attempts()) {
            return false;
        }
        String containerId = env.get(ApplicationConstants.Environment.CONTAINER_ID.key());
        if (containerId == null) {
            return false;
        }
        ApplicationAttemptId current =
                ContainerId.fromString(containerId).getApplicationAttemptId();
        YarnConfiguration yarnConfiguration = new YarnConfiguration();
        Optional<String> diagnostics =
                budget.closingDiagnostics(attempt, earlierAttempts(yarnConfiguration, current));
        if (diagnostics.isEmpty()) {
            LOG.info(
                    "YARN attempt {} is beyond yarn.application-attempts ({}), but YARN did not"
                            + " count enough lost attempts within the validity interval: this"
                            + " attempt recovers the application.",
                    attempt,
                    budget.attempts());
            return false;
        }
        LOG.warn("Closing attempt {}: {}", attempt, diagnostics.get());
        end(configuration, yarnConfiguration, env, diagnostics.get());
        return true;
    }

    /** The attempts before {@code current}, or null if YARN cannot be asked. */
    @Nullable
    private static List<LostAttempt> earlierAttempts(
            YarnConfiguration yarnConfiguration, ApplicationAttemptId current) {
        try (YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(yarnConfiguration);
            yarn.start();
            return yarn.getApplicationAttempts(current.getApplicationId()).stream()
                    .filter(
                            a ->
                                    a.getApplicationAttemptId().getAttemptId()
                                            < current.getAttemptId())
                    .map(ClosingAttempt::lostAttempt)
                    .toList();
        } catch (Exception e) {
            LOG.warn("Cannot read the application's earlier attempts from YARN.", e);
            return null;
        }
    }

    private static LostAttempt lostAttempt(ApplicationAttemptReport report) {
        return new LostAttempt(
                report.getApplicationAttemptId().getAttemptId(),
                report.getFinishTime(),
                report.getDiagnostics());
    }

    private static void end(
            Configuration configuration,
            YarnConfiguration yarnConfiguration,
            Map<String, String> env,
            String diagnostics) {
        try (AMRMClient<AMRMClient.ContainerRequest> rm = AMRMClient.createAMRMClient()) {
            rm.init(yarnConfiguration);
            rm.start();
            String host = env.getOrDefault(ApplicationConstants.Environment.NM_HOST.key(), "");
            rm.registerApplicationMaster(host, 0, "");
            // Before unregistering: YARN may stop this container as soon as the application
            // has ended.
            removeHighAvailabilityData(configuration);
            removeStagingDirectory(yarnConfiguration, env.get(YarnConfigKeys.FLINK_YARN_FILES));
            rm.unregisterApplicationMaster(FinalApplicationStatus.FAILED, diagnostics, null);
        } catch (Exception e) {
            // Exiting without unregistering fails this attempt too: YARN then ends the
            // application with its own diagnostics.
            LOG.error("Could not end the application with its diagnostics.", e);
        }
    }

    /**
     * As Flink removes them when an application ends: ZooKeeper's nodes and the blobs under {@code
     * high-availability.storageDir}/cluster-id, which may be outside the staging directory.
     */
    private static void removeHighAvailabilityData(Configuration configuration) {
        if (HighAvailabilityMode.fromConfig(configuration) != HighAvailabilityMode.ZOOKEEPER) {
            return;
        }
        try {
            FileSystem.initialize(configuration, null);
            new ZooKeeperLeaderElectionHaServices(
                            ZooKeeperUtils.startCuratorFramework(
                                    configuration, e -> LOG.warn("ZooKeeper client failed.", e)),
                            configuration,
                            Executors.directExecutor(),
                            BlobUtils.createBlobStoreFromConfig(configuration))
                    .closeWithOptionalClean(true);
        } catch (Exception e) {
            LOG.warn("Could not remove the application's high-availability data.", e);
        }
    }

    private static void removeStagingDirectory(
            YarnConfiguration yarnConfiguration, @Nullable String stagingDirectory) {
        if (stagingDirectory == null || stagingDirectory.isBlank()) {
            return;
        }
        try {
            Path path = new Path(stagingDirectory);
            path.getFileSystem(yarnConfiguration).delete(path, true);
        } catch (Exception e) {
            LOG.warn("Could not remove the staging directory {}.", stagingDirectory, e);
        }
    }
}
