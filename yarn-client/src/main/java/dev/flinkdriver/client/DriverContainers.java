package dev.flinkdriver.client;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.hadoop.yarn.api.records.ContainerId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The containers main() ran in, one per driver attempt: each attempt of the driver job's one task
 * names its TaskManager, and on YARN a TaskManager's resource id is its container id. A restarted
 * driver runs in a new container (the lost one is gone), so the attempts' outputs are apart.
 */
final class DriverContainers {

    private static final Logger LOG = LoggerFactory.getLogger(DriverContainers.class);

    /**
     * One container and the driver attempts that ran in it (counted from 1, as {@code status} shows
     * them; several if the driver restarted in the same TaskManager).
     */
    record Container(ContainerId id, List<Integer> attempts) {

        /** {@code driver attempt 2}, {@code driver attempts 1, 2}. */
        String label() {
            return (attempts.size() == 1 ? "driver attempt " : "driver attempts ")
                    + attempts.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
    }

    private DriverContainers() {}

    /**
     * @param taskAttempts the driver task's attempts as Flink's REST API (or the archive) answers
     *     {@code /jobs/<id>/vertices/<vertex>/subtasks/0/attempts/<n>}, in any order
     * @return oldest first; attempts that were never deployed in a YARN container are left out
     */
    static List<Container> of(Collection<JsonNode> taskAttempts) {
        List<JsonNode> byAttempt = new ArrayList<>(taskAttempts);
        byAttempt.sort(Comparator.comparingInt(a -> a.path("attempt").asInt(0)));
        // A container's log holds every attempt that ran in it: each container once, at its
        // first attempt, also when the driver came back to it after running elsewhere.
        Map<ContainerId, Container> containers = new LinkedHashMap<>();
        for (JsonNode attempt : byAttempt) {
            String taskManager = attempt.path("taskmanager-id").asText("");
            ContainerId id;
            try {
                id = ContainerId.fromString(taskManager);
            } catch (IllegalArgumentException e) {
                LOG.debug("Driver attempt on {} is in no YARN container", taskManager);
                continue;
            }
            containers
                    .computeIfAbsent(id, c -> new Container(c, new ArrayList<>()))
                    .attempts()
                    .add(attempt.path("attempt").asInt(0) + 1);
        }
        return new ArrayList<>(containers.values());
    }
}
