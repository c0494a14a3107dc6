package dev.flinkdriver.api;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.tasks.AbstractInvokable;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverJobGraphsTest {

    private final JobID jobId = new JobID();
    private final ApplicationID applicationId = new ApplicationID();

    @Test
    void createsOneDriverTaskWithTheJarsAndSettings() {
        Configuration driverConfiguration = new Configuration();
        driverConfiguration.set(DriverInternalOptions.JAR, "/tmp/app.jar");
        driverConfiguration.set(DriverOptions.LIB_JARS, List.of("/tmp/a.jar", "/tmp/b.jar"));
        driverConfiguration.set(DriverOptions.MAIN_CLASS, "com.example.Main");
        ResourceProfile profile = ResourceProfile.fromResources(2.0, 1024);

        JobGraph jobGraph =
                DriverJobGraphs.create(
                        jobId,
                        applicationId,
                        "nightly",
                        driverConfiguration,
                        "http://am:8081",
                        profile,
                        TestDriverTask.class);

        assertThat(jobGraph.getJobID()).isEqualTo(jobId);
        assertThat(jobGraph.getApplicationId()).contains(applicationId);
        assertThat(jobGraph.getName()).isEqualTo("nightly");
        assertThat(jobGraph.getNumberOfVertices()).isOne();
        JobVertex driver = jobGraph.getVerticesAsArray()[0];
        assertThat(driver.getInvokableClassName()).isEqualTo(TestDriverTask.class.getName());
        assertThat(driver.getParallelism()).isOne();
        assertThat(driver.getMaxParallelism()).isOne();
        assertThat(driver.getSlotSharingGroup().getResourceProfile()).isEqualTo(profile);
        assertThat(jobGraph.getUserJars())
                .containsExactly(
                        new Path("/tmp/app.jar"), new Path("/tmp/a.jar"), new Path("/tmp/b.jar"));

        Configuration jobConfiguration = jobGraph.getJobConfiguration();
        assertThat(jobConfiguration.get(DriverOptions.MAIN_CLASS)).isEqualTo("com.example.Main");
        assertThat(jobConfiguration.get(DriverInternalOptions.REST_ADDRESS))
                .isEqualTo("http://am:8081");
        assertThat(jobConfiguration.get(DriverInternalOptions.APPLICATION_ID))
                .isEqualTo(applicationId.toHexString());
        assertThat(jobConfiguration.get(DriverOptions.JOB_NAME_PREFIX)).isEqualTo("nightly: ");
        assertThat(jobConfiguration.get(RestartStrategyOptions.RESTART_STRATEGY))
                .as("the driver restarts after a lost TaskManager by default")
                .isEqualTo("fixed-delay");
        assertThat(
                        jobConfiguration.get(
                                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEqualTo(3);
        assertThat(jobConfiguration.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void neverRestartsWithoutRestartAttemptsOrOnAnExistingCluster() {
        Configuration noRestarts = new Configuration();
        noRestarts.set(DriverInternalOptions.JAR, "app.jar");
        noRestarts.set(DriverOptions.DRIVER_RESTART_ATTEMPTS, 0);
        Configuration existingCluster = new Configuration();
        existingCluster.set(DriverInternalOptions.JAR, "app.jar");
        existingCluster.set(DriverInternalOptions.MANAGE_JOBS, true);

        for (Configuration driverConfiguration : List.of(noRestarts, existingCluster)) {
            JobGraph jobGraph =
                    DriverJobGraphs.create(
                            jobId,
                            applicationId,
                            "nightly",
                            driverConfiguration,
                            "http://am:8081",
                            ResourceProfile.UNKNOWN,
                            TestDriverTask.class);
            assertThat(jobGraph.getJobConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                    .isEqualTo("disable");
        }
    }

    @Test
    void keepsTheConfiguredPrefixAndRestartStrategyForMain() throws Exception {
        Configuration driverConfiguration = new Configuration();
        driverConfiguration.set(DriverInternalOptions.JAR, "app.jar");
        driverConfiguration.set(DriverOptions.JOB_NAME_PREFIX, "[x] ");
        driverConfiguration.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        driverConfiguration.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, 7);

        JobGraph jobGraph =
                DriverJobGraphs.create(
                        jobId,
                        applicationId,
                        "nightly",
                        driverConfiguration,
                        "http://am:8081",
                        ResourceProfile.UNKNOWN,
                        TestDriverTask.class);

        Configuration jobConfiguration = jobGraph.getJobConfiguration();
        assertThat(jobConfiguration.get(DriverOptions.JOB_NAME_PREFIX)).isEqualTo("[x] ");
        assertThat(jobConfiguration.get(RestartStrategyOptions.RESTART_STRATEGY))
                .as("the driver job follows its own strategy")
                .isEqualTo("fixed-delay");
        assertThat(
                        jobConfiguration.getOptional(
                                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEmpty();

        // main() and its jobs get the user's strategy back, and none of the driver's.
        Configuration program = new Configuration(jobConfiguration);
        DriverRestartStrategy.restoreProgramSettings(program);
        assertThat(program.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(program.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(7);
        assertThat(
                        program.getOptional(
                                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS))
                .isEmpty();
        assertThat(program.toMap().keySet())
                .noneMatch(key -> key.startsWith(DriverInternalOptions.PROGRAM_SETTING_PREFIX));
    }

    @Test
    void requiresTheJar() {
        assertThatThrownBy(
                        () ->
                                DriverJobGraphs.create(
                                        jobId,
                                        applicationId,
                                        "nightly",
                                        new Configuration(),
                                        "http://am:8081",
                                        ResourceProfile.UNKNOWN,
                                        TestDriverTask.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DriverInternalOptions.JAR.key());
    }

    /** Stands for the driver module's task, which this module does not know. */
    public static final class TestDriverTask extends AbstractInvokable {
        public TestDriverTask(Environment environment) {
            super(environment);
        }

        @Override
        public void invoke() {}
    }
}
