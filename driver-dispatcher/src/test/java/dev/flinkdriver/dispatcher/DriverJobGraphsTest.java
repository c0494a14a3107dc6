package dev.flinkdriver.dispatcher;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverJobGraphsTest {

    private final JobID jobId = new JobID();
    private final ApplicationID applicationId = new ApplicationID();

    @Test
    void createsOneDriverTaskWithTheJarsAndSettings() {
        Configuration driverConfiguration = new Configuration();
        driverConfiguration.set(DriverOptions.JAR, "/tmp/app.jar");
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
                        profile);

        assertThat(jobGraph.getJobID()).isEqualTo(jobId);
        assertThat(jobGraph.getApplicationId()).contains(applicationId);
        assertThat(jobGraph.getName()).isEqualTo("nightly");
        assertThat(jobGraph.getNumberOfVertices()).isOne();
        JobVertex driver = jobGraph.getVerticesAsArray()[0];
        assertThat(driver.getInvokableClassName()).isEqualTo(DriverInvokable.class.getName());
        assertThat(driver.getParallelism()).isOne();
        assertThat(driver.getMaxParallelism()).isOne();
        assertThat(driver.getSlotSharingGroup().getResourceProfile()).isEqualTo(profile);
        assertThat(jobGraph.getUserJars())
                .containsExactly(
                        new Path("/tmp/app.jar"), new Path("/tmp/a.jar"), new Path("/tmp/b.jar"));

        Configuration jobConfiguration = jobGraph.getJobConfiguration();
        assertThat(jobConfiguration.get(DriverOptions.MAIN_CLASS)).isEqualTo("com.example.Main");
        assertThat(jobConfiguration.get(DriverOptions.REST_ADDRESS)).isEqualTo("http://am:8081");
        assertThat(jobConfiguration.get(DriverOptions.APPLICATION_ID))
                .isEqualTo(applicationId.toHexString());
        assertThat(jobConfiguration.get(DriverOptions.JOB_NAME_PREFIX)).isEqualTo("nightly: ");
        assertThat(jobConfiguration.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(jobConfiguration.get(DriverOptions.PROGRAM_RESTART_STRATEGY)).isNull();
    }

    @Test
    void keepsTheConfiguredPrefixAndRestartStrategyForMain() {
        Configuration driverConfiguration = new Configuration();
        driverConfiguration.set(DriverOptions.JAR, "app.jar");
        driverConfiguration.set(DriverOptions.JOB_NAME_PREFIX, "[x] ");
        driverConfiguration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");

        JobGraph jobGraph =
                DriverJobGraphs.create(
                        jobId,
                        applicationId,
                        "nightly",
                        driverConfiguration,
                        "http://am:8081",
                        ResourceProfile.UNKNOWN);

        Configuration jobConfiguration = jobGraph.getJobConfiguration();
        assertThat(jobConfiguration.get(DriverOptions.JOB_NAME_PREFIX)).isEqualTo("[x] ");
        assertThat(jobConfiguration.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
        assertThat(jobConfiguration.get(DriverOptions.PROGRAM_RESTART_STRATEGY))
                .isEqualTo("fixed-delay");
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
                                        ResourceProfile.UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DriverOptions.JAR.key());
    }
}
