package dev.flinkdriver.resources;

import org.apache.flink.api.common.resources.CPUResource;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The resources of the driver, derived in one place from the {@code driver.*} options: the driver
 * slot's {@link ResourceProfile}, the TaskManager that hosts exactly that one slot, and the YARN
 * container that TaskManager runs in.
 *
 * <p>The driver's TaskManager is sized the way the resource manager sizes any TaskManager from a
 * {@link WorkerResourceSpec} ({@link TaskExecutorProcessUtils#processSpecFromWorkerResourceSpec}
 * adds framework heap and off-heap, JVM metaspace and JVM overhead), but with the driver's own
 * {@code driver.taskmanager.*} sizes of those four instead of the cluster's {@code
 * taskmanager.memory.*}: those are sized for data processing, the driver's TaskManager runs one
 * task. None of the four is part of a slot's or a TaskManager's {@link ResourceProfile}, so the
 * slot manager sees the same driver TaskManager either way; only the process YARN starts differs
 * ({@link #processSpecFor}). The slot is the whole TaskManager, so the slot profile and the
 * TaskManager's total profile are equal.
 */
public final class DriverResources {

    /** Flink's {@code Resource} keeps 8 decimal places; smaller CPU values become zero. */
    private static final int CPU_SCALE = 8;

    private final MemorySize heapMemory;
    private final MemorySize directMemory;
    private final MemorySize nativeMemory;
    private final MemorySize networkMemory;
    private final double cpus;

    private final ResourceProfile slotProfile;
    private final WorkerResourceSpec workerResourceSpec;
    private final TaskExecutorProcessSpec processSpec;

    private DriverResources(
            MemorySize heapMemory,
            MemorySize directMemory,
            MemorySize nativeMemory,
            MemorySize networkMemory,
            double cpus,
            Configuration configuration) {
        this.heapMemory = heapMemory;
        this.directMemory = directMemory;
        this.nativeMemory = nativeMemory;
        this.networkMemory = networkMemory;
        this.cpus = cpus;

        // Native memory goes into task off-heap: the JVM overhead is derived from cluster-wide
        // options for every TaskManager alike, task off-heap is the one component a single
        // TaskManager can grow. It also raises -XX:MaxDirectMemorySize, which costs nothing.
        this.slotProfile =
                ResourceProfile.newBuilder()
                        .setCpuCores(cpus)
                        .setTaskHeapMemory(heapMemory)
                        .setTaskOffHeapMemory(directMemory.add(nativeMemory))
                        .setManagedMemory(MemorySize.ZERO)
                        .setNetworkMemory(networkMemory)
                        .build();
        this.workerResourceSpec = WorkerResourceSpec.fromTotalResourceProfile(slotProfile, 1);
        this.processSpec =
                TaskExecutorProcessUtils.processSpecFromWorkerResourceSpec(
                        driverTaskManagerView(configuration), workerResourceSpec);
    }

    /**
     * Reads the driver's resources.
     *
     * @throws IllegalConfigurationException listing every problem {@link #validate(Configuration)}
     *     finds
     */
    public static DriverResources fromConfiguration(Configuration configuration) {
        final List<String> errors = validate(configuration);
        if (!errors.isEmpty()) {
            throw new IllegalConfigurationException(String.join("\n", errors));
        }
        return new DriverResources(
                configuration.get(DriverResourceOptions.HEAP_MEMORY),
                configuration.get(DriverResourceOptions.DIRECT_MEMORY),
                configuration.get(DriverResourceOptions.NATIVE_MEMORY),
                configuration.get(DriverResourceOptions.NETWORK_MEMORY),
                configuration.get(DriverResourceOptions.CPUS),
                configuration);
    }

    /**
     * Checks the {@code driver.*} values on their own: one line per problem, naming the option.
     * Empty if {@link #fromConfiguration} will succeed on the driver's side.
     */
    public static List<String> validate(Configuration configuration) {
        final List<String> errors = new ArrayList<>();
        final MemorySize heap = read(configuration, DriverResourceOptions.HEAP_MEMORY, errors);
        read(configuration, DriverResourceOptions.DIRECT_MEMORY, errors);
        read(configuration, DriverResourceOptions.NATIVE_MEMORY, errors);
        read(configuration, DriverResourceOptions.NETWORK_MEMORY, errors);
        final Double cpus = read(configuration, DriverResourceOptions.CPUS, errors);
        read(configuration, DriverResourceOptions.TASK_MANAGER_FRAMEWORK_HEAP, errors);
        read(configuration, DriverResourceOptions.TASK_MANAGER_FRAMEWORK_OFF_HEAP, errors);
        read(configuration, DriverResourceOptions.TASK_MANAGER_JVM_METASPACE, errors);
        final MemorySize overheadMin =
                read(configuration, DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MIN, errors);
        final MemorySize overheadMax =
                read(configuration, DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MAX, errors);
        final Float overheadFraction =
                read(
                        configuration,
                        DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_FRACTION,
                        errors);

        if (heap != null && heap.getBytes() == 0) {
            errors.add("--driverheapmemory 0: the driver's heap memory must be positive");
        }
        if (cpus != null
                && (cpus.isNaN()
                        || cpus.isInfinite()
                        || cpus <= 0
                        || new CPUResource(cpus).isZero())) {
            errors.add(
                    "--drivercpus "
                            + format(cpus)
                            + ": the driver's CPU cores must be a positive number (at least 1e-"
                            + CPU_SCALE
                            + ")");
        }
        if (overheadMin != null && overheadMax != null && overheadMin.compareTo(overheadMax) > 0) {
            errors.add(
                    DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MIN.key()
                            + " "
                            + overheadMin
                            + " is larger than "
                            + DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MAX.key()
                            + " "
                            + overheadMax);
        }
        if (overheadFraction != null && !(overheadFraction >= 0 && overheadFraction < 1)) {
            errors.add(
                    DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_FRACTION.key()
                            + " "
                            + overheadFraction
                            + ": must be at least 0 and less than 1");
        }
        return errors;
    }

    /**
     * Checks the {@code driver.*} values and whether YARN can grant the driver's container: one
     * line per problem, naming the option and the limit.
     */
    public static List<String> validate(Configuration configuration, YarnSchedulerLimits limits) {
        final List<String> errors = validate(configuration);
        if (!errors.isEmpty()) {
            return errors;
        }
        try {
            return fromConfiguration(configuration).validateAgainst(limits);
        } catch (IllegalConfigurationException e) {
            // Framework memory, metaspace and overhead do not add up (e.g. the overhead's range).
            return List.of("the driver's TaskManager memory cannot be derived: " + e.getMessage());
        }
    }

    /** The profile of the driver job's one slot-sharing group. */
    public ResourceProfile slotProfile() {
        return slotProfile;
    }

    /** The total profile of the driver's TaskManager; equal to the slot, it holds nothing else. */
    public ResourceProfile taskManagerProfile() {
        return slotProfile;
    }

    /** The worker the resource manager requests for the driver: one slot, the driver's size. */
    public WorkerResourceSpec workerResourceSpec() {
        return workerResourceSpec;
    }

    /** The driver TaskManager's process, as the resource manager will start it. */
    public TaskExecutorProcessSpec processSpec() {
        return processSpec;
    }

    /**
     * The process to start for a worker the resource manager requests: the driver's own process for
     * the driver's worker, the requested one for every other. The resource manager derives a
     * worker's process from the cluster's {@code taskmanager.memory.*} options alone; this is where
     * the driver's TaskManager gets its {@code driver.taskmanager.*} sizes instead.
     */
    public TaskExecutorProcessSpec processSpecFor(TaskExecutorProcessSpec requested) {
        return WorkerResourceSpec.fromTaskExecutorProcessSpec(requested).equals(workerResourceSpec)
                ? processSpec
                : requested;
    }

    /**
     * The driver's YARN container. Memory: the process size in whole MiB, as Flink's YARN driver
     * requests it, rounded up to a multiple of YARN's minimum allocation. Vcores: Flink requests
     * the integer part of the CPU cores (it truncates), YARN rounds up to its minimum.
     */
    public YarnContainerSize containerSize(YarnSchedulerLimits limits) {
        final long requestedMemoryMb = processSpec.getTotalProcessMemorySize().getMebiBytes();
        final int requestedVcores = processSpec.getCpuCores().getValue().intValue();
        return new YarnContainerSize(
                requestedMemoryMb,
                requestedVcores,
                normalize(requestedMemoryMb, limits.minMemoryMb()),
                (int) normalize(requestedVcores, limits.minVcores()));
    }

    /**
     * Whether YARN can grant the driver's container. Flink's YARN driver compares its request with
     * YARN's maximum and, if it is larger, never asks: the driver job would wait forever.
     */
    public List<String> validateAgainst(YarnSchedulerLimits limits) {
        final YarnContainerSize container = containerSize(limits);
        final List<String> errors = new ArrayList<>();
        if (container.requestedMemoryMb() > limits.maxMemoryMb()) {
            errors.add(
                    memoryOptions()
                            + ": the driver's container would need "
                            + container.memoryMb()
                            + " MB, more than YARN's maximum allocation of "
                            + limits.maxMemoryMb()
                            + " MB");
        }
        if (container.requestedVcores() > limits.maxVcores()) {
            errors.add(
                    "--drivercpus "
                            + format(cpus)
                            + ": the driver's container would need "
                            + container.vcores()
                            + " vcores, more than YARN's maximum allocation of "
                            + limits.maxVcores()
                            + " vcores");
        }
        return errors;
    }

    @Override
    public String toString() {
        return "DriverResources{slot="
                + slotProfile
                + ", processSize="
                + processSpec.getTotalProcessMemorySize().toHumanReadableString()
                + ", metaspace="
                + processSpec.getJvmMetaspaceSize().toHumanReadableString()
                + ", overhead="
                + processSpec.getJvmOverheadSize().toHumanReadableString()
                + '}';
    }

    // ------------------------------------------------------------------------------------------

    /**
     * The configuration the resource manager sizes workers with: {@code
     * ActiveResourceManagerFactory} drops the total process and total Flink memory, which would
     * otherwise fix every TaskManager at the default size.
     */
    private static Configuration resourceManagerView(Configuration configuration) {
        final Configuration copy = new Configuration(configuration);
        copy.removeConfig(TaskManagerOptions.TOTAL_PROCESS_MEMORY);
        copy.removeConfig(TaskManagerOptions.TOTAL_FLINK_MEMORY);
        return copy;
    }

    /**
     * The resource manager's view with the driver TaskManager's own framework, metaspace and
     * overhead sizes in place of the cluster's: Flink's derivation then applies unchanged.
     */
    private static Configuration driverTaskManagerView(Configuration configuration) {
        final Configuration view = resourceManagerView(configuration);
        view.set(
                TaskManagerOptions.FRAMEWORK_HEAP_MEMORY,
                configuration.get(DriverResourceOptions.TASK_MANAGER_FRAMEWORK_HEAP));
        view.set(
                TaskManagerOptions.FRAMEWORK_OFF_HEAP_MEMORY,
                configuration.get(DriverResourceOptions.TASK_MANAGER_FRAMEWORK_OFF_HEAP));
        view.set(
                TaskManagerOptions.JVM_METASPACE,
                configuration.get(DriverResourceOptions.TASK_MANAGER_JVM_METASPACE));
        view.set(
                TaskManagerOptions.JVM_OVERHEAD_MIN,
                configuration.get(DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MIN));
        view.set(
                TaskManagerOptions.JVM_OVERHEAD_MAX,
                configuration.get(DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_MAX));
        view.set(
                TaskManagerOptions.JVM_OVERHEAD_FRACTION,
                configuration.get(DriverResourceOptions.TASK_MANAGER_JVM_OVERHEAD_FRACTION));
        return view;
    }

    private String memoryOptions() {
        final StringJoiner options = new StringJoiner(" ");
        options.add("--driverheapmemory " + megabytes(heapMemory));
        if (directMemory.getBytes() > 0) {
            options.add("--driverdirectmemory " + megabytes(directMemory));
        }
        if (nativeMemory.getBytes() > 0) {
            options.add("--drivernativememory " + megabytes(nativeMemory));
        }
        if (networkMemory.getBytes() > 0) {
            options.add(
                    DriverResourceOptions.NETWORK_MEMORY.key()
                            + "="
                            + networkMemory.toHumanReadableString());
        }
        return options.toString();
    }

    private static long normalize(long requested, int step) {
        return Math.max(step, (requested + step - 1) / step * step);
    }

    private static <T> T read(
            Configuration configuration, ConfigOption<T> option, List<String> errors) {
        try {
            return configuration.get(option);
        } catch (IllegalArgumentException e) {
            errors.add(cliName(option) + ": " + e.getMessage());
            return null;
        }
    }

    private static String cliName(ConfigOption<?> option) {
        if (option == DriverResourceOptions.HEAP_MEMORY) {
            return "--driverheapmemory";
        } else if (option == DriverResourceOptions.DIRECT_MEMORY) {
            return "--driverdirectmemory";
        } else if (option == DriverResourceOptions.NATIVE_MEMORY) {
            return "--drivernativememory";
        } else if (option == DriverResourceOptions.CPUS) {
            return "--drivercpus";
        }
        return option.key();
    }

    private static String megabytes(MemorySize size) {
        return size.getBytes() % MemorySize.ofMebiBytes(1).getBytes() == 0
                ? String.valueOf(size.getMebiBytes())
                : size.toHumanReadableString();
    }

    private static String format(double value) {
        return Double.isNaN(value) || Double.isInfinite(value)
                ? String.valueOf(value)
                : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
