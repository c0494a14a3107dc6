package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnFileSystem;
import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LocalYarnHaDefaultsTest {

    @Test
    void theLocalYarnGetsShorterZooKeeperSessions() {
        Configuration flink = ha();
        LocalYarnHaDefaults.apply(flink, yarn(true));
        assertThat(flink.get(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theUsersSettingAndOtherYarnsKeepTheirs() {
        Configuration set = ha();
        set.set(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT, Duration.ofSeconds(45));
        LocalYarnHaDefaults.apply(set, yarn(true));
        assertThat(set.get(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(45));

        Configuration remote = ha();
        LocalYarnHaDefaults.apply(remote, yarn(false));
        assertThat(remote.contains(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT)).isFalse();

        Configuration off = ha();
        off.set(DriverHaOptions.LOCAL_YARN_ZOOKEEPER_SESSION_TIMEOUT, Duration.ZERO);
        LocalYarnHaDefaults.apply(off, yarn(true));
        assertThat(off.contains(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT)).isFalse();

        Configuration withoutHa = new Configuration();
        LocalYarnHaDefaults.apply(withoutHa, yarn(true));
        assertThat(withoutHa.contains(HighAvailabilityOptions.ZOOKEEPER_SESSION_TIMEOUT)).isFalse();
    }

    private static Configuration ha() {
        Configuration conf = new Configuration();
        conf.set(HighAvailabilityOptions.HA_MODE, "zookeeper");
        conf.set(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM, "localhost:2181");
        return conf;
    }

    private static YarnConfiguration yarn(boolean local) {
        YarnConfiguration conf =
                new YarnConfiguration(new org.apache.hadoop.conf.Configuration(false));
        if (local) {
            conf.set(LocalYarnSite.FILE_SYSTEM_IMPL, LocalYarnFileSystem.class.getName());
        }
        return conf;
    }
}
