package dev.flinkdriver.client;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDriversContainerIsTheTaskManagerOfItsLatestAttempt() throws Exception {
        String taskManagers =
                "{\"id\":\"v\",\"name\":\"driver\",\"now\":9,\"taskmanagers\":["
                        + "{\"endpoint\":\"localhost:1\",\"start-time\":200,"
                        + "\"taskmanager-id\":\"container_1796012410742_0002_01_000005\"},"
                        + "{\"endpoint\":\"localhost:2\",\"start-time\":100,"
                        + "\"taskmanager-id\":\"container_1796012410742_0002_01_000003\"}]}";

        assertThat(LogsCommand.lastContainer(JSON.readTree(taskManagers)))
                .hasValueSatisfying(
                        c -> assertThat(c).hasToString("container_1796012410742_0002_01_000005"));
    }

    @Test
    void aTaskManagerOutsideYarnNamesNoContainer() throws Exception {
        String taskManagers =
                "{\"taskmanagers\":[{\"start-time\":1,\"taskmanager-id\":\"localhost:4711-abc\"}]}";

        assertThat(LogsCommand.lastContainer(JSON.readTree(taskManagers))).isEmpty();
    }
}
