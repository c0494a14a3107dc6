package dev.flinkdriver.client;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DriverContainersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FIRST = "container_1796012410742_0002_01_000002";
    private static final String SECOND = "container_1796012410742_0002_01_000007";

    @Test
    void eachDriverAttemptIsShownWithItsContainerOldestFirst() throws Exception {
        List<DriverContainers.Container> containers =
                DriverContainers.of(List.of(attempt(1, SECOND), attempt(0, FIRST)));

        assertThat(containers)
                .extracting(c -> c.id().toString(), DriverContainers.Container::label)
                .containsExactly(
                        tuple(FIRST, "driver attempt 1"), tuple(SECOND, "driver attempt 2"));
    }

    @Test
    void attemptsInOneContainerShareItsOutputAndUndeployedOnesAreLeftOut() throws Exception {
        List<DriverContainers.Container> containers =
                DriverContainers.of(
                        List.of(attempt(0, FIRST), attempt(1, FIRST), attempt(2, "(unassigned)")));

        assertThat(containers)
                .singleElement()
                .satisfies(c -> assertThat(c.label()).isEqualTo("driver attempts 1, 2"));
    }

    @Test
    void aContainerTheDriverCameBackToIsShownOnceWithAllItsAttempts() throws Exception {
        List<DriverContainers.Container> containers =
                DriverContainers.of(
                        List.of(attempt(0, FIRST), attempt(1, SECOND), attempt(2, FIRST)));

        assertThat(containers)
                .extracting(c -> c.id().toString(), DriverContainers.Container::label)
                .containsExactly(
                        tuple(FIRST, "driver attempts 1, 3"), tuple(SECOND, "driver attempt 2"));
    }

    /** As {@code /jobs/<id>/vertices/<v>/subtasks/0/attempts/<n>} answers. */
    private static JsonNode attempt(int attempt, String taskManager) throws Exception {
        return JSON.readTree(
                "{\"subtask\":0,\"status\":\"RUNNING\",\"attempt\":"
                        + attempt
                        + ",\"endpoint\":\"localhost:1\",\"start-time\":1,"
                        + "\"taskmanager-id\":\""
                        + taskManager
                        + "\"}");
    }
}
