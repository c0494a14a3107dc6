package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HistoryServerOptions;
import org.apache.flink.configuration.JobManagerOptions;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a driver application's history goes, in Flink's own keys: {@code jobmanager.archive.fs.dir}
 * (the JobManager archives every job and the application there, Flink's HistoryServer reads them)
 * and {@code historyserver.web.address}/{@code historyserver.web.port} (Flink's YARN resource
 * manager makes the application's final tracking URL point to that HistoryServer).
 *
 * <p>The local YARN ({@code bin/local-yarn}) runs a HistoryServer over a directory of its own and
 * names both in its client configuration; on it, those are the defaults. A user's own setting wins.
 */
final class HistoryDefaults {

    private HistoryDefaults() {}

    /** Sets the local YARN's history settings where the configuration has none. */
    static Configuration apply(Configuration flinkConfig, YarnConfiguration yarnConfiguration) {
        String archiveDir = yarnConfiguration.get(LocalYarnSite.JOB_ARCHIVE_DIR);
        if (archiveDir != null && !flinkConfig.contains(JobManagerOptions.ARCHIVE_DIR)) {
            flinkConfig.set(JobManagerOptions.ARCHIVE_DIR, archiveDir);
        }
        String historyServer = yarnConfiguration.get(LocalYarnSite.HISTORY_SERVER);
        if (historyServer != null
                && !flinkConfig.contains(HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS)) {
            int colon = historyServer.lastIndexOf(':');
            flinkConfig.set(
                    HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS,
                    historyServer.substring(0, colon));
            flinkConfig.set(
                    HistoryServerOptions.HISTORY_SERVER_WEB_PORT,
                    Integer.parseInt(historyServer.substring(colon + 1)));
        }
        return flinkConfig;
    }

    /**
     * The directories in which the client looks for an ended application's archive: {@code
     * jobmanager.archive.fs.dir} (the local YARN's unless configured) and those a HistoryServer of
     * this configuration would read ({@code historyserver.archive.fs.dir}).
     */
    static List<String> archiveDirs(Configuration flinkConfig, YarnConfiguration yarnConfig) {
        Configuration config = apply(new Configuration(flinkConfig), yarnConfig);
        Set<String> dirs = new LinkedHashSet<>();
        config.getOptional(JobManagerOptions.ARCHIVE_DIR).ifPresent(dirs::add);
        config.getOptional(HistoryServerOptions.HISTORY_SERVER_ARCHIVE_DIRS)
                .ifPresent(
                        list -> {
                            for (String dir : list.split(",")) {
                                if (!dir.isBlank()) {
                                    dirs.add(dir.strip());
                                }
                            }
                        });
        return new ArrayList<>(dirs);
    }
}
