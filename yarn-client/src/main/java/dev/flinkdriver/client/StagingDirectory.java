package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Where Flink's YARN client stages an application's files ({@code <staging>/.flink/<appId>}), for
 * the deployment and for whoever must remove them when the ApplicationMaster cannot: a failed
 * deployment, an application killed before its JobManager ran. Flink's own clean-up resolves the
 * directory on the default file system and misses one elsewhere, such as the local YARN's lib cache
 * file system.
 */
final class StagingDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(StagingDirectory.class);

    private StagingDirectory() {}

    /**
     * Sets {@code yarn.staging-directory} as the client deploys with it: on the local YARN's lib
     * cache file system ({@link LibShipping}), or the distribution's {@code var/staging} on a local
     * default file system, where Flink would stage into the user's home.
     */
    static void configure(
            Configuration effective,
            YarnConfiguration yarnConfiguration,
            java.nio.file.Path libDir,
            java.nio.file.Path workDir)
            throws IOException {
        LibShipping.configure(effective, yarnConfiguration, libDir, workDir);
        if (!effective.contains(YarnConfigOptions.STAGING_DIRECTORY)
                && "file".equals(FileSystem.getDefaultUri(yarnConfiguration).getScheme())) {
            effective.set(
                    YarnConfigOptions.STAGING_DIRECTORY, localRoot(workDir).toUri().toString());
        }
    }

    /** The client's own staging directory, in the distribution's work directory. */
    static java.nio.file.Path localRoot(java.nio.file.Path workDir) {
        return workDir.resolve("staging");
    }

    /** Removes the staging files of an application; failures are logged, not thrown. */
    static void delete(
            Configuration effective,
            org.apache.hadoop.conf.Configuration hadoopConfiguration,
            ApplicationId id) {
        try {
            String root = effective.get(YarnConfigOptions.STAGING_DIRECTORY);
            Path staging =
                    root != null
                            ? new Path(root, ".flink/" + id)
                            : new Path(
                                    FileSystem.get(hadoopConfiguration).getHomeDirectory(),
                                    ".flink/" + id);
            staging.getFileSystem(hadoopConfiguration).delete(staging, true);
        } catch (Exception e) {
            LOG.warn("Could not delete the staging files of {}", id, e);
        }
    }
}
