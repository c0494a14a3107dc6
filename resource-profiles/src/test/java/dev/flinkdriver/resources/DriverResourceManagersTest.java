package dev.flinkdriver.resources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.slotmanager.SlotManagerConfiguration;
import org.apache.flink.util.concurrent.ScheduledExecutorServiceAdapter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class DriverResourceManagersTest {

    @ParameterizedTest(name = "taskmanager-timeout={0}ms driver={1}ms -> {2}ms")
    @CsvSource({"30000, 1000, 1000", "500, 1000, 500", "30000, 0, 100", "30000, 50, 100"})
    void checksForIdleTaskManagersAsOftenAsTheDriverNeeds(
            long taskManagerTimeoutMs, long driverIdleTimeoutMs, long periodMs) {
        assertThat(
                        DriverResourceManagers.idleCheckPeriod(
                                Duration.ofMillis(taskManagerTimeoutMs),
                                Duration.ofMillis(driverIdleTimeoutMs)))
                .isEqualTo(Duration.ofMillis(periodMs));
    }

    @ParameterizedTest(name = "JobManager attempt {0}, leadership {1} -> {2} ms")
    @CsvSource({"1, 1, 0", "2, 1, 40000", "3, 1, 40000", "1, 2, 40000"})
    void keepsIdleDriverTaskManagersAtStartOnlyAfterAFailoverOrARegainedLeadership(
            int attempt, int leadership, long graceMs) {
        // The TaskManager timeout after Flink's longest wait for the kept TaskManagers.
        assertThat(
                        DriverResourceManagers.startupGrace(
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(10),
                                attempt,
                                leadership))
                .isEqualTo(Duration.ofMillis(graceMs));
    }

    /**
     * Flink's slot manager is re-created here from its parts (Flink's factory has no seam for the
     * allocation strategy); their constructors check their arguments at run time, which a Flink
     * upgrade may change without breaking the compile. This fails then, naming the seam.
     */
    @Test
    void flinksSlotManagerStillAcceptsTheDriverWiring() throws Exception {
        final Configuration configuration = new Configuration();
        configuration.set(DriverResourceOptions.HEAP_MEMORY, MemorySize.parse("2g"));
        final WorkerResourceSpec defaultWorker =
                new WorkerResourceSpec.Builder()
                        .setCpuCores(1)
                        .setTaskHeapMemoryMB(512)
                        .setManagedMemoryMB(512)
                        .setNetworkMemoryMB(64)
                        .setNumSlots(1)
                        .build();
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThatCode(
                            () ->
                                    DriverResourceManagers.createSlotManager(
                                            configuration,
                                            SlotManagerConfiguration.fromConfiguration(
                                                    configuration, defaultWorker),
                                            new ScheduledExecutorServiceAdapter(executor),
                                            UnregisteredMetricGroups
                                                    .createUnregisteredSlotManagerMetricGroup()))
                    .as("DriverResourceManagers#createSlotManager, a seam into Flink internals")
                    .doesNotThrowAnyException();
        } finally {
            executor.shutdownNow();
        }
    }
}
