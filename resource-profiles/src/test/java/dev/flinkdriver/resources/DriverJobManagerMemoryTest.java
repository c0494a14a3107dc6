package dev.flinkdriver.resources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverJobManagerMemoryTest {

    /** What the distribution's conf/config.yaml gives every JobManager. */
    private static Configuration configYaml() {
        Configuration c = new Configuration();
        c.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("1024m"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // process size -> heap, JVM overhead (MB); metaspace 128 and off-heap 64 throughout
        "512m,  224, 96", // the default: the README's measured lean JobManager
        "416m,  128, 96", // the smallest: Flink's minimum heap
        "1g,    729, 102", // larger: the heap and the overhead's 10 % grow
        "4g,   3494, 409",
    })
    void leanSplitAroundTheProcessSize(String size, long heapMb, long overheadMb) {
        Configuration config = configYaml();
        config.setString(DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key(), size);

        JobManagerProcessSpec spec = DriverJobManagerMemory.apply(config).orElseThrow();

        // what Flink's client derives the ApplicationMaster's container and JVM from
        assertThat(JobManagerProcessUtils.processSpecFromConfig(config)).isEqualTo(spec);
        assertThat(spec.getTotalProcessMemorySize()).isEqualTo(MemorySize.parse(size));
        assertThat(spec.getJvmHeapMemorySize().getMebiBytes()).isEqualTo(heapMb);
        assertThat(spec.getJvmOverheadSize().getMebiBytes()).isEqualTo(overheadMb);
        assertThat(spec.getJvmMetaspaceSize()).isEqualTo(MemorySize.ofMebiBytes(128));
        assertThat(spec.getJvmDirectMemorySize()).isEqualTo(MemorySize.ofMebiBytes(64));
    }

    @Test
    void theDefaultIs512mWhateverConfigYamlSizes() {
        Configuration config = configYaml();
        // sizes config.yaml may hold that would contradict the driver's
        config.set(JobManagerOptions.JVM_HEAP_MEMORY, MemorySize.parse("800m"));
        config.set(JobManagerOptions.JVM_OVERHEAD_MAX, MemorySize.parse("64m"));
        config.set(JobManagerOptions.JVM_DIRECT_MEMORY_LIMIT_ENABLED, true);

        JobManagerProcessSpec spec = DriverJobManagerMemory.apply(config).orElseThrow();

        assertThat(spec.getTotalProcessMemorySize()).isEqualTo(MemorySize.ofMebiBytes(512));
        assertThat(config.contains(JobManagerOptions.JVM_HEAP_MEMORY)).isFalse();
        assertThat(config.contains(JobManagerOptions.JVM_OVERHEAD_MAX)).isFalse();
        assertThat(config.get(JobManagerOptions.JVM_DIRECT_MEMORY_LIMIT_ENABLED))
                .as("not a size: stays")
                .isTrue();
    }

    @Test
    void zeroLeavesFlinksSizing() {
        Configuration config = configYaml();
        config.setString(DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key(), "0");

        assertThat(DriverJobManagerMemory.apply(config)).isEmpty();
        assertThat(config.toMap()).isEqualTo(withSize(configYaml(), "0").toMap());
    }

    @Test
    void tooSmallIsRefusedWithNothingChanged() {
        Configuration config = withSize(configYaml(), "415m");

        assertThatThrownBy(() -> DriverJobManagerMemory.apply(config))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage(
                        "driver.jobmanager.process.size: 415 mb is too small, at least 416 mb (128"
                                + " mb JVM metaspace, at least 96 mb JVM overhead (10 % of larger"
                                + " processes) and 64 mb off-heap memory, and Flink's minimum heap"
                                + " of 128 mb), or 0 for conf/config.yaml's jobmanager.memory.*");
        assertThat(config.toMap()).isEqualTo(withSize(configYaml(), "415m").toMap());
    }

    @ParameterizedTest
    @CsvSource({
        "jobmanager.memory.process.size, true",
        "jobmanager.memory.flink.size, true",
        "jobmanager.memory.heap.size, true",
        "jobmanager.memory.off-heap.size, true",
        "jobmanager.memory.jvm-metaspace.size, true",
        "jobmanager.memory.jvm-overhead.min, true",
        "jobmanager.memory.jvm-overhead.max, true",
        "jobmanager.memory.jvm-overhead.fraction, true",
        "jobmanager.memory.enable-jvm-direct-memory-limit, false",
        "driver.jobmanager.process.size, false",
        "taskmanager.memory.process.size, false",
    })
    void flinkSizeKeys(String key, boolean size) {
        assertThat(DriverJobManagerMemory.isFlinkSizeKey(key)).isEqualTo(size);
    }

    private static Configuration withSize(Configuration config, String size) {
        config.setString(DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key(), size);
        return config;
    }
}
