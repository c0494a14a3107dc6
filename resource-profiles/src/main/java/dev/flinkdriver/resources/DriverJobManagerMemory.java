package dev.flinkdriver.resources;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;

import java.util.List;
import java.util.Optional;

/**
 * The JobManager of a driver application, sized for what it holds ({@link
 * DriverResourceOptions#JOB_MANAGER_PROCESS_SIZE}): the one home of its lean split.
 *
 * <p>Flink sizes every JobManager for application mode, where main() and the user's classes run in
 * it: 256m metaspace, at least 192m JVM overhead and 128m off-heap. A driver-mode JobManager runs
 * neither; after 1,000 jobs it keeps about 40 MB of live heap and 72 MB of metaspace (README,
 * Performance, round 3), and at a small process size Flink's split would leave no heap at all ("Sum
 * of configured JVM Metaspace and JVM Overhead exceeds ..."). The split below shrinks those three
 * to what such a JobManager uses, with room to spare, whatever the process size; the heap is the
 * rest, so a larger process size gives all of its growth to the heap and the overhead's fraction.
 */
public final class DriverJobManagerMemory {

    /** The default process size: every peak measured stays at least 85 MB below it. */
    public static final MemorySize DEFAULT_PROCESS_SIZE = MemorySize.ofMebiBytes(512);

    /** Classes of Flink's JobManager, the dispatcher's and the HA clients': 72 MB measured. */
    public static final MemorySize JVM_METASPACE = MemorySize.ofMebiBytes(128);

    /** Thread stacks, code cache and GC structures: at least this, 10 % of larger processes. */
    public static final MemorySize JVM_OVERHEAD_MIN = MemorySize.ofMebiBytes(96);

    /** Direct and native memory of RPC, REST and the blob server. */
    public static final MemorySize OFF_HEAP = MemorySize.ofMebiBytes(64);

    /** The split as the option's description and the client's messages name it. */
    static final String SPLIT =
            JVM_METASPACE.toString()
                    + " JVM metaspace, at least "
                    + JVM_OVERHEAD_MIN.toString()
                    + " JVM overhead (10 % of larger processes) and "
                    + OFF_HEAP.toString()
                    + " off-heap memory";

    /** The smallest process that leaves the heap Flink recommends at least. */
    public static final MemorySize MIN_PROCESS_SIZE =
            JVM_METASPACE
                    .add(JVM_OVERHEAD_MIN)
                    .add(OFF_HEAP)
                    .add(JobManagerOptions.MIN_JVM_HEAP_SIZE);

    /** The heap this split leaves in a process of {@code processSize} below 1 GB. */
    static MemorySize heapOf(MemorySize processSize) {
        return processSize.subtract(JVM_METASPACE).subtract(JVM_OVERHEAD_MIN).subtract(OFF_HEAP);
    }

    /**
     * Flink's options that size the JobManager's process. One of them given for a submission means
     * the user sized that JobManager; all of them make way for the driver's size otherwise.
     */
    private static final List<ConfigOption<?>> FLINK_SIZE_OPTIONS =
            List.of(
                    JobManagerOptions.TOTAL_PROCESS_MEMORY,
                    JobManagerOptions.TOTAL_FLINK_MEMORY,
                    JobManagerOptions.JVM_HEAP_MEMORY,
                    JobManagerOptions.OFF_HEAP_MEMORY,
                    JobManagerOptions.JVM_METASPACE,
                    JobManagerOptions.JVM_OVERHEAD_MIN,
                    JobManagerOptions.JVM_OVERHEAD_MAX,
                    JobManagerOptions.JVM_OVERHEAD_FRACTION);

    private DriverJobManagerMemory() {}

    /** Whether {@code key} is one of Flink's JobManager process sizes. */
    public static boolean isFlinkSizeKey(String key) {
        return FLINK_SIZE_OPTIONS.stream().anyMatch(o -> o.key().equals(key));
    }

    /**
     * Sizes the JobManager of {@code config} by {@code driver.jobmanager.process.size} and the lean
     * split, replacing every JobManager size {@code config} has (those of conf/config.yaml); does
     * nothing when that option is 0.
     *
     * @return the applied process, or empty for 0
     * @throws IllegalConfigurationException for a size below {@link #MIN_PROCESS_SIZE}, with
     *     nothing changed
     */
    public static Optional<JobManagerProcessSpec> apply(Configuration config) {
        MemorySize size = config.get(DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE);
        if (size.getBytes() == 0) {
            return Optional.empty();
        }
        if (size.compareTo(MIN_PROCESS_SIZE) < 0) {
            throw new IllegalConfigurationException(
                    DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key()
                            + ": "
                            + size.toString()
                            + " is too small, at least "
                            + MIN_PROCESS_SIZE.toString()
                            + " ("
                            + SPLIT
                            + ", and Flink's minimum heap of "
                            + JobManagerOptions.MIN_JVM_HEAP_SIZE.toString()
                            + "), or 0 for conf/config.yaml's jobmanager.memory.*");
        }
        FLINK_SIZE_OPTIONS.forEach(config::removeConfig);
        config.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, size);
        config.set(JobManagerOptions.JVM_METASPACE, JVM_METASPACE);
        config.set(JobManagerOptions.JVM_OVERHEAD_MIN, JVM_OVERHEAD_MIN);
        config.set(JobManagerOptions.OFF_HEAP_MEMORY, OFF_HEAP);
        return Optional.of(JobManagerProcessUtils.processSpecFromConfig(config));
    }
}
