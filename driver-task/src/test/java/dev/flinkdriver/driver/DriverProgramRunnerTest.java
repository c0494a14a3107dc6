package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverInternalOptions;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DriverProgramRunnerTest {

    @Test
    void targetsTheClusterRestEndpointAttached() throws Exception {
        Configuration taskManager = new Configuration();
        taskManager.set(DeploymentOptions.TARGET, "yarn-session");
        taskManager.set(RestOptions.PORT, 1);
        Configuration job = driverJob();
        job.set(RestartStrategyOptions.RESTART_STRATEGY, "none");

        Configuration program =
                new DriverProgramRunner(taskManager, job, List.of()).programConfiguration();

        assertThat(program.get(DeploymentOptions.TARGET)).isEqualTo("remote");
        assertThat(program.get(RestOptions.ADDRESS)).isEqualTo("am-host");
        assertThat(program.get(RestOptions.PORT)).isEqualTo(41234);
        assertThat(program.get(DeploymentOptions.ATTACHED)).isTrue();
        assertThat(program.getOptional(RestartStrategyOptions.RESTART_STRATEGY))
                .as("the driver's own restart strategy does not leak")
                .isEmpty();
    }

    @Test
    void findsTheApplicationJarByBlobKey() throws Exception {
        URL lib = new URL("file:/tmp/blobs/job_1/blob_p-aaaa-1111");
        URL app = new URL("file:/tmp/blobs/job_1/blob_p-bbbb-2222");
        Configuration job = new Configuration();
        job.set(DriverInternalOptions.JAR_BLOB_KEY, "p-bbbb-2222");

        assertThat(DriverProgramRunner.findApplicationJar(List.of(lib, app), job)).isEqualTo(app);
        assertThat(DriverProgramRunner.findApplicationJar(List.of(lib, app), new Configuration()))
                .isEqualTo(lib);
    }

    private static Configuration driverJob() {
        Configuration job = new Configuration();
        job.set(DriverInternalOptions.REST_ADDRESS, "http://am-host:41234");
        job.set(DriverInternalOptions.APPLICATION_ID, new ApplicationID().toHexString());
        return job;
    }
}
