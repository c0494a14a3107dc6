package dev.flinkdriver.resources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
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
     * The driver TaskManager's defaults around the slot: framework heap 64m + framework off-heap
     * 64m + metaspace 192m, JVM overhead 10% of the process, at least 128m and at most 1g.
     */
    @ParameterizedTest(name = "heap={0} direct={1} native={2} network={3} cpus={4}")
    @CsvSource({
        // heap, direct, native, network, cpus -> process MB, requested vcores, container MB, vcores
        // the default driver: 768 MB, one 1024 MB container on a YARN of 1024 MB steps
        "320,   0,   0,   0,  1.0, 768,   1, 1024,  1",
        // the default before round 3 (Flink's TaskManager sizes made it 1216 MB)
        "512,   0,   0,   0,  1.0, 960,   1, 1024,  1",
        // the README's worked example
        "1024,  0,   0,   0,  2.0, 1493,  2, 2048,  2",
        "1024,  0,   0,   64, 2.0, 1564,  2, 2048,  2",
        "2048,  512, 256, 0,  1.5, 3484,  1, 4096,  1",
        "20000, 0,   0,   0,  1.0, 21344, 1, 21504, 1",
        "512,   0,   0,   0,  0.5, 960,   0, 1024,  1",
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
                .isEqualTo(768);
    }

    @Test
    void sizesTheProcessForADriverNotForDataProcessing() {
        final TaskExecutorProcessSpec process =
                DriverResources.fromConfiguration(new Configuration()).processSpec();

        assertThat(process.getJvmHeapMemorySize().getMebiBytes()).as("-Xmx").isEqualTo(320 + 64);
        assertThat(process.getJvmDirectMemorySize().getMebiBytes())
                .as("-XX:MaxDirectMemorySize")
                .isEqualTo(64);
        assertThat(process.getJvmMetaspaceSize().getMebiBytes()).isEqualTo(192);
        assertThat(process.getJvmOverheadSize().getMebiBytes()).isEqualTo(128);
        assertThat(process.getManagedMemorySize().getBytes()).isZero();
        assertThat(process.getNetworkMemSize().getBytes()).isZero();
        // Flink's TaskManager sizes around the same slot, for comparison: 1024 MB.
        assertThat(
                        TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec(
                                        new Configuration(),
                                        DriverResources.fromConfiguration(new Configuration())
                                                .workerResourceSpec())
                                .getTotalProcessMemorySize()
                                .getMebiBytes())
                .isEqualTo(1024);
    }

    @Test
    void followsTheDriverTaskManagerOptionsNotTheClusters() {
        final Configuration configuration = new Configuration();
        configuration.set(DriverResourceOptions.HEAP_MEMORY, MemorySize.parse("512m"));
        configuration.set(TaskManagerOptions.JVM_METASPACE, MemorySize.parse("512m"));
        configuration.set(TaskManagerOptions.FRAMEWORK_HEAP_MEMORY, MemorySize.parse("256m"));
        configuration.set(TaskManagerOptions.JVM_OVERHEAD_MIN, MemorySize.parse("512m"));
        assertThat(DriverResources.fromConfiguration(configuration).containerSize(YARN))
                .as("the user-job TaskManagers' options leave the driver's alone")
                .isEqualTo(new YarnContainerSize(960, 1, 1024, 1));

        configuration.set(
                DriverResourceOptions.TASK_MANAGER_JVM_METASPACE, MemorySize.parse("320m"));
        configuration.set(
                DriverResourceOptions.TASK_MANAGER_FRAMEWORK_HEAP, MemorySize.parse("128m"));
        configuration.set(
                DriverResourceOptions.TASK_MANAGER_FRAMEWORK_OFF_HEAP, MemorySize.parse("96m"));
        configuration.set(
                DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MIN, MemorySize.parse("200m"));
        // 512 + 128 + 96 + 320 = 1056, overhead 117 -> 200
        final TaskExecutorProcessSpec process =
                DriverResources.fromConfiguration(configuration).processSpec();
        assertThat(process.getJvmHeapMemorySize().getMebiBytes()).isEqualTo(640);
        assertThat(process.getJvmDirectMemorySize().getMebiBytes()).isEqualTo(96);
        assertThat(process.getJvmMetaspaceSize().getMebiBytes()).isEqualTo(320);
        assertThat(process.getTotalProcessMemorySize().getMebiBytes()).isEqualTo(1256);

        configuration.set(DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_FRACTION, 0.5f);
        configuration.set(
                DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MAX, MemorySize.parse("300m"));
        assertThat(
                        DriverResources.fromConfiguration(configuration)
                                .processSpec()
                                .getJvmOverheadSize()
                                .getMebiBytes())
                .as("the fraction, bounded by the maximum")
                .isEqualTo(300);
    }

    /** What the resource manager derives for the driver's worker is replaced, nothing else. */
    @Test
    void replacesTheProcessOfTheDriversWorkerOnly() {
        final Configuration cluster = new Configuration();
        cluster.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        final DriverResources driver = DriverResources.fromConfiguration(cluster);
        // ActiveResourceManager#requestNewWorker, with the cluster's taskmanager.memory.*
        final TaskExecutorProcessSpec requestedForDriver =
                TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec(
                        cluster, driver.workerResourceSpec());
        final TaskExecutorProcessSpec userTaskManager =
                TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec(
                        cluster,
                        WorkerResourceSpec.fromTaskExecutorProcessSpec(
                                TaskExecutorProcessUtils.processSpecFromConfig(
                                        withProcessSize(cluster, "1280m"))));

        assertThat(driver.processSpecFor(requestedForDriver)).isSameAs(driver.processSpec());
        assertThat(driver.processSpecFor(userTaskManager)).isSameAs(userTaskManager);
        assertThat(driver.processSpec().getTotalProcessMemorySize())
                .isLessThan(requestedForDriver.getTotalProcessMemorySize());
    }

    @Test
    void roundsToTheMinimumAllocation() {
        assertThat(
                        DriverResources.fromConfiguration(new Configuration())
                                .containerSize(new YarnSchedulerLimits(256, 2, 8192, 8)))
                .isEqualTo(new YarnContainerSize(768, 1, 768, 2));
    }

    private static Configuration withProcessSize(Configuration configuration, String size) {
        final Configuration copy = new Configuration(configuration);
        copy.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse(size));
        return copy;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "driver.heap-memory | 20000m | --driverheapmemory 20000: the driver's container"
                        + " would need 21504 MB, more than YARN's maximum allocation of 8192 MB",
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
                "driver.taskmanager.jvm-overhead.min | 2g | driver.taskmanager.jvm-overhead.min"
                        + " 2 gb is larger than driver.taskmanager.jvm-overhead.max 1 gb",
                "driver.taskmanager.jvm-overhead.fraction | 1.0 |"
                        + " driver.taskmanager.jvm-overhead.fraction 1.0: must be at least 0 and"
                        + " less than 1",
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
