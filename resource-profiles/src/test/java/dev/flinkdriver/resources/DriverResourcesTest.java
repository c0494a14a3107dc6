package dev.flinkdriver.resources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverResourcesTest {

    private static final YarnSchedulerLimits YARN = new YarnSchedulerLimits(1024, 1, 8192, 8);

    /**
     * Flink's defaults around the slot: framework heap 128m + framework off-heap 128m + metaspace
     * 256m, JVM overhead 10% of the process, at least 192m and at most 1g.
     */
    @ParameterizedTest(name = "heap={0} direct={1} native={2} network={3} cpus={4}")
    @CsvSource({
        // heap, direct, native, network, cpus -> process MB, requested vcores, container MB, vcores
        "512,   0,   0,   0,  1.0, 1216,  1, 2048,  1",
        // the prototype's driver: 1792 MB on YARN
        "1024,  0,   0,   64, 2.0, 1792,  2, 2048,  2",
        "2048,  512, 256, 0,  1.5, 3697,  1, 4096,  1",
        "20000, 0,   0,   0,  1.0, 21536, 1, 22528, 1",
        "512,   0,   0,   0,  0.5, 1216,  0, 2048,  1",
    })
    void optionsToSlotProcessAndContainer(
            int heapMb,
            int directMb,
            int nativeMb,
            int networkMb,
            double cpus,
            int processMb,
            int requestedVcores,
            long containerMb,
            int containerVcores) {
        final Configuration configuration = new Configuration();
        configuration.set(DriverResourceOptions.HEAP_MEMORY, MemorySize.ofMebiBytes(heapMb));
        configuration.set(DriverResourceOptions.DIRECT_MEMORY, MemorySize.ofMebiBytes(directMb));
        configuration.set(DriverResourceOptions.NATIVE_MEMORY, MemorySize.ofMebiBytes(nativeMb));
        configuration.set(DriverResourceOptions.NETWORK_MEMORY, MemorySize.ofMebiBytes(networkMb));
        configuration.set(DriverResourceOptions.CPUS, cpus);

        final DriverResources driver = DriverResources.fromConfiguration(configuration);

        assertThat(driver.slotProfile())
                .isEqualTo(
                        ResourceProfile.newBuilder()
                                .setCpuCores(cpus)
                                .setTaskHeapMemoryMB(heapMb)
                                .setTaskOffHeapMemoryMB(directMb + nativeMb)
                                .setManagedMemoryMB(0)
                                .setNetworkMemoryMB(networkMb)
                                .build());
        assertThat(driver.taskManagerProfile())
                .as("the driver's TaskManager holds its one slot and nothing more")
                .isEqualTo(driver.slotProfile());
        // What the resource manager asks YARN for, in the options' own numbers.
        WorkerResourceSpec worker = driver.workerResourceSpec();
        assertThat(worker.getCpuCores().getValue().doubleValue()).isEqualTo(cpus);
        assertThat(worker.getTaskHeapSize().getMebiBytes()).isEqualTo(heapMb);
        assertThat(worker.getTaskOffHeapSize().getMebiBytes()).isEqualTo(directMb + nativeMb);
        assertThat(worker.getNetworkMemSize().getMebiBytes()).isEqualTo(networkMb);
        assertThat(worker.getManagedMemSize().getBytes()).isZero();
        assertThat(worker.getNumSlots()).isOne();
        assertThat(driver.processSpec().getNumSlots()).isOne();
        assertThat(driver.processSpec().getTotalProcessMemorySize().getMebiBytes())
                .isEqualTo(processMb);
        assertThat(driver.containerSize(YARN))
                .isEqualTo(
                        new YarnContainerSize(
                                processMb, requestedVcores, containerMb, containerVcores));
    }

    @Test
    void defaultsGiveAValidDriver() {
        assertThat(DriverResources.validate(new Configuration(), YARN)).isEmpty();
    }

    @Test
    void ignoresTheDefaultTaskManagerSizeLikeTheResourceManager() {
        final Configuration configuration = new Configuration();
        configuration.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("4g"));

        assertThat(
                        DriverResources.fromConfiguration(configuration)
                                .processSpec()
                                .getTotalProcessMemorySize()
                                .getMebiBytes())
                .isEqualTo(1216);
    }

    @Test
    void followsTheClusterMemoryOptions() {
        final Configuration configuration = new Configuration();
        configuration.set(TaskManagerOptions.JVM_METASPACE, MemorySize.parse("512m"));

        // 768 + 512 = 1280, overhead 142 -> 192
        assertThat(DriverResources.fromConfiguration(configuration).containerSize(YARN))
                .isEqualTo(new YarnContainerSize(1472, 1, 2048, 1));
    }

    @Test
    void roundsToTheMinimumAllocation() {
        assertThat(
                        DriverResources.fromConfiguration(new Configuration())
                                .containerSize(new YarnSchedulerLimits(256, 2, 8192, 8)))
                .isEqualTo(new YarnContainerSize(1216, 1, 1280, 2));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "driver.heap-memory | 20000m | --driverheapmemory 20000: the driver's container"
                        + " would need 22528 MB, more than YARN's maximum allocation of 8192 MB",
                "driver.cpus | 16 | --drivercpus 16: the driver's container would need 16 vcores,"
                        + " more than YARN's maximum allocation of 8 vcores",
                "driver.cpus | 8.5 | ",
                "driver.heap-memory | 0 | --driverheapmemory 0: the driver's heap memory must be"
                        + " positive",
                "driver.cpus | NaN | --drivercpus NaN: the driver's CPU cores must be a positive"
                        + " number (at least 1e-8)",
                "driver.cpus | -1 | --drivercpus -1: the driver's CPU cores must be a positive"
                        + " number (at least 1e-8)",
                "driver.cpus | 0 | --drivercpus 0: the driver's CPU cores must be a positive"
                        + " number (at least 1e-8)",
                "driver.cpus | 1e-9 | --drivercpus 0.000000001: the driver's CPU cores must be a"
                        + " positive number (at least 1e-8)",
            })
    void validatesOneOption(String key, String value, String expectedError) {
        final Configuration configuration = new Configuration();
        configuration.setString(key, value);

        if (expectedError == null) {
            assertThat(DriverResources.validate(configuration, YARN)).isEmpty();
        } else {
            assertThat(DriverResources.validate(configuration, YARN))
                    .containsExactly(expectedError);
        }
    }

    @Test
    void namesEveryMemoryOptionThatAddsToTheContainer() {
        final Configuration configuration = new Configuration();
        configuration.set(DriverResourceOptions.HEAP_MEMORY, MemorySize.ofMebiBytes(6000));
        configuration.set(DriverResourceOptions.DIRECT_MEMORY, MemorySize.ofMebiBytes(1000));
        configuration.set(DriverResourceOptions.NATIVE_MEMORY, MemorySize.ofMebiBytes(1000));

        assertThat(DriverResources.validate(configuration, YARN))
                .containsExactly(
                        "--driverheapmemory 6000 --driverdirectmemory 1000"
                                + " --drivernativememory 1000: the driver's container would"
                                + " need 10240 MB, more than YARN's maximum allocation of 8192 MB");
    }

    @Test
    void reportsUnreadableValuesByOption() {
        final Configuration configuration = new Configuration();
        configuration.setString(DriverResourceOptions.DIRECT_MEMORY.key(), "-5m");

        assertThat(DriverResources.validate(configuration))
                .singleElement()
                .asString()
                .startsWith("--driverdirectmemory: ");
        assertThatThrownBy(() -> DriverResources.fromConfiguration(configuration))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith("--driverdirectmemory: ");
    }
}
