package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HistoryServerOptions;
import org.apache.flink.configuration.JobManagerOptions;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryDefaultsTest {

    private static YarnConfiguration localYarn() {
        YarnConfiguration yarn = new YarnConfiguration();
        yarn.set(LocalYarnSite.JOB_ARCHIVE_DIR, "file:///yarn/completed-jobs");
        yarn.set(LocalYarnSite.HISTORY_SERVER, "localhost:18082");
        return yarn;
    }

    @Test
    void theLocalYarnsHistoryIsTheDefault() {
        Configuration flink = HistoryDefaults.apply(new Configuration(), localYarn());

        assertThat(flink.get(JobManagerOptions.ARCHIVE_DIR))
                .isEqualTo("file:///yarn/completed-jobs");
        assertThat(flink.get(HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS))
                .isEqualTo("localhost");
        assertThat(flink.get(HistoryServerOptions.HISTORY_SERVER_WEB_PORT)).isEqualTo(18082);
    }

    @Test
    void aUsersOwnSettingWins() {
        Configuration flink = new Configuration();
        flink.set(JobManagerOptions.ARCHIVE_DIR, "hdfs:///flink/completed-jobs");
        flink.set(HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS, "history.example.com");

        HistoryDefaults.apply(flink, localYarn());

        assertThat(flink.get(JobManagerOptions.ARCHIVE_DIR))
                .isEqualTo("hdfs:///flink/completed-jobs");
        assertThat(flink.get(HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS))
                .isEqualTo("history.example.com");
        assertThat(flink.get(HistoryServerOptions.HISTORY_SERVER_WEB_PORT)).isEqualTo(8082);
    }

    @Test
    void withoutTheLocalYarnNothingIsSet() {
        Configuration flink = HistoryDefaults.apply(new Configuration(), new YarnConfiguration());

        assertThat(flink.contains(JobManagerOptions.ARCHIVE_DIR)).isFalse();
        assertThat(flink.contains(HistoryServerOptions.HISTORY_SERVER_WEB_ADDRESS)).isFalse();
    }

    @Test
    void statusLooksInTheArchiveAndTheHistoryServersDirectories() {
        Configuration flink = new Configuration();
        flink.set(HistoryServerOptions.HISTORY_SERVER_ARCHIVE_DIRS, "hdfs:///a, hdfs:///b");

        assertThat(HistoryDefaults.archiveDirs(flink, localYarn()))
                .containsExactly("file:///yarn/completed-jobs", "hdfs:///a", "hdfs:///b");
    }
}
