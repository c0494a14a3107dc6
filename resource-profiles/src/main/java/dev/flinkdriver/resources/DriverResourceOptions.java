package dev.flinkdriver.resources;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

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
                            "Native memory the driver's main() may use (added to the JVM"
                                    + " overhead of the driver's TaskManager)."
                                    + " CLI: --drivernativememory <MB>.");

    public static final ConfigOption<Double> CPUS =
            ConfigOptions.key("driver.cpus")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "CPU cores of the driver task; fractions are allowed, YARN gets whole"
                                    + " vcores (rounded up). CLI: --drivercpus <cores>.");
}
