package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClosingAttemptRequestTest {

    @Test
    void oneAttemptMoreWhereYarnLeavesRoom() {
        // YARN's default maximum, 2: room after one attempt (no HA), none after HA's two.
        YarnConfiguration yarn =
                new YarnConfiguration(new org.apache.hadoop.conf.Configuration(false));
        assertThat(ClosingAttemptRequest.maxAppAttempts(1, new Configuration(), yarn)).isEqualTo(2);
        assertThat(ClosingAttemptRequest.maxAppAttempts(2, new Configuration(), yarn)).isEqualTo(2);
        yarn.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 4);
        assertThat(ClosingAttemptRequest.maxAppAttempts(2, new Configuration(), yarn)).isEqualTo(3);
        yarn.setInt(YarnConfiguration.GLOBAL_RM_AM_MAX_ATTEMPTS, 2);
        assertThat(ClosingAttemptRequest.maxAppAttempts(2, new Configuration(), yarn))
                .as("the global maximum caps every application")
                .isEqualTo(2);
    }

    @Test
    void turnedOffTheAttemptsStayFlinks() {
        Configuration flink = new Configuration();
        flink.set(DriverHaOptions.CLOSING_ATTEMPT, false);
        assertThat(
                        ClosingAttemptRequest.maxAppAttempts(
                                1,
                                flink,
                                new YarnConfiguration(
                                        new org.apache.hadoop.conf.Configuration(false))))
                .isEqualTo(1);
    }
}
