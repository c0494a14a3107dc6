package dev.flinkdriver.api;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LivingPriorityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "DAEMON, DAEMON",
        "daemon, DAEMON",
        "' Daemon ', DAEMON",
        "NORMAL, NORMAL",
        "normal, NORMAL",
        // a job main() submits cannot make itself the driver
        "DRIVER, NORMAL",
        "bogus, NORMAL",
    })
    void ofSubmittedJobReadsAnySpelling(String configured, LivingPriority expected) {
        Configuration job = new Configuration();
        job.setString(DriverOptions.JOB_LIVING_PRIORITY.key(), configured);

        assertThat(LivingPriority.ofSubmittedJob(job)).isEqualTo(expected);
    }

    @Test
    void aJobWithoutOneIsNormal() {
        assertThat(LivingPriority.ofSubmittedJob(new Configuration()))
                .isEqualTo(LivingPriority.NORMAL);
    }

    @Test
    void theEnumMainSetIsReadToo() {
        Configuration job = new Configuration();
        job.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);

        assertThat(LivingPriority.ofSubmittedJob(job)).isEqualTo(LivingPriority.DAEMON);
    }
}
