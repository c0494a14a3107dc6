package dev.flinkdriver.resources;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;

/**
 * Resources of the driver: the one task that runs main(), in a TaskManager of its own. The CLI's
 * {@code --driverheapmemory}, {@code --driverdirectmemory}, {@code --drivernativememory} (MB) and
 * {@code --drivercpus} set these.
 */
public final class DriverResourceOptions {

    private DriverResourceOptions() {}

    public static final ConfigOption<MemorySize> HEAP_MEMORY =
            ConfigOptions.key("driver.heap-memory")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(512))
                    .withDescription(
                            "Task heap memory of the driver task, which runs the application's"
                                    + " main(). CLI: --driverheapmemory <MB>.");

    public static final ConfigOption<MemorySize> DIRECT_MEMORY =
            ConfigOptions.key("driver.direct-memory")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(0))
                    .withDescription(
                            "Task off-heap (direct) memory of the driver task."
                                    + " CLI: --driverdirectmemory <MB>.");

    public static final ConfigOption<MemorySize> NATIVE_MEMORY =
            ConfigOptions.key("driver.native-memory")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(0))
                    .withDescription(
                            "Native memory the driver's main() may use. It is budgeted as task"
                                    + " off-heap memory of the driver's slot: Flink sizes the JVM"
                                    + " overhead from cluster-wide options only, so off-heap is the"
                                    + " one place that grows the driver's container alone."
                                    + " CLI: --drivernativememory <MB>.");

    public static final ConfigOption<Double> CPUS =
            ConfigOptions.key("driver.cpus")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "CPU cores of the driver task. Fractions are allowed, but Flink asks YARN"
                                    + " for the integer part only (at least YARN's minimum"
                                    + " allocation of vcores). CLI: --drivercpus <cores>.");

    public static final ConfigOption<MemorySize> NETWORK_MEMORY =
            ConfigOptions.key("driver.network-memory")
                    .memoryType()
                    .defaultValue(MemorySize.ZERO)
                    .withDescription(
                            "Network (shuffle) memory of the driver's TaskManager. The driver task"
                                    + " has no inputs or outputs, so it needs none; a non-zero value"
                                    + " is an escape hatch should a TaskManager without network"
                                    + " buffers misbehave.");

    public static final ConfigOption<Duration> TASK_MANAGER_IDLE_TIMEOUT =
            ConfigOptions.key("driver.taskmanager.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "How long the driver's TaskManager may stay idle before it is returned"
                                    + " to YARN. Other TaskManagers keep"
                                    + " 'resourcemanager.taskmanager-timeout', so that consecutive"
                                    + " jobs can reuse them; nothing reuses the driver's.");

    public static final ConfigOption<Integer> PREWARM_TASK_MANAGERS =
            ConfigOptions.key("driver.prewarm-taskmanagers")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "TaskManagers for the user jobs that a driver cluster starts together"
                                    + " with the driver's own, so that the first job main()"
                                    + " submits does not wait for a TaskManager to start. They"
                                    + " are Flink's slotmanager.number-of-slots.min (this many"
                                    + " TaskManagers' slots) and stay until the application ends;"
                                    + " an explicit slotmanager.number-of-slots.min wins. 0 starts"
                                    + " TaskManagers only when jobs ask for slots.");
}
