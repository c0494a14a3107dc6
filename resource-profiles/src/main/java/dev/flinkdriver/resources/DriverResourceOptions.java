package dev.flinkdriver.resources;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;

/**
 * Resources of the driver: the one task that runs main(), in a TaskManager of its own. The CLI's
 * {@code --driverheapmemory}, {@code --driverdirectmemory}, {@code --drivernativememory} (MB) and
 * {@code --drivercpus} set these. {@link #JOB_MANAGER_PROCESS_SIZE} sizes the JobManager of a
 * driver application ({@link DriverJobManagerMemory}).
 */
public final class DriverResourceOptions {

    private DriverResourceOptions() {}

    public static final ConfigOption<MemorySize> HEAP_MEMORY =
            ConfigOptions.key("driver.heap-memory")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(320))
                    .withDescription(
                            "Task heap memory of the driver task, which runs the application's"
                                    + " main(). The default is the most that keeps the driver's"
                                    + " TaskManager a 768 MB process (a 768 MB container on a YARN"
                                    + " with a minimum allocation of 256 MB): enough to plan and"
                                    + " submit DataStream and Table/SQL programs; a main() that"
                                    + " holds data sets more. CLI: --driverheapmemory <MB>.");

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
                                    + " off-heap memory of the driver's slot, which grows the"
                                    + " driver's container by exactly this much; the JVM overhead"
                                    + " (driver.taskmanager.jvm-overhead.*) is a fraction of the"
                                    + " process within bounds, meant for the JVM itself."
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

    public static final ConfigOption<Duration> CONTAINER_WAIT_TIMEOUT =
            ConfigOptions.key("driver.container-wait-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(3))
                    .withDescription(
                            "How long a driver application on YARN waits for a TaskManager"
                                    + " container of a kind it holds none of (the driver's own, or"
                                    + " one for the jobs main() submits) before it ends FAILED"
                                    + " with diagnostics that name the queue, the containers it"
                                    + " waited for and what YARN had left for it. YARN counts only"
                                    + " the JobManager against a queue's ApplicationMaster limit,"
                                    + " so a queue can fill up with JobManagers and drivers of"
                                    + " applications that all wait for TaskManagers, for ever if"
                                    + " their jobs restart (see 'Sizing a queue' in the README)."
                                    + " Counted from the first request; a pause without requests"
                                    + " longer than this starts a new wait. Keep it below"
                                    + " slot.request.timeout (5 min), which otherwise fails the"
                                    + " waiting job first. 0 waits for ever.");

    public static final ConfigOption<MemorySize> JOB_MANAGER_PROCESS_SIZE =
            ConfigOptions.key("driver.jobmanager.process.size")
                    .memoryType()
                    .defaultValue(DriverJobManagerMemory.DEFAULT_PROCESS_SIZE)
                    .withDescription(
                            "Process size (hence YARN container) of the JobManager of a driver"
                                    + " application that the client deploys on a new cluster. A"
                                    + " driver-mode JobManager holds no main() and no user"
                                    + " classes: about 40 MB of live heap and 72 MB of metaspace"
                                    + " after 1,000 jobs. The client gives it this size with a"
                                    + " lean split, "
                                    + DriverJobManagerMemory.SPLIT
                                    + ", the rest heap ("
                                    + DriverJobManagerMemory.heapOf(
                                                    DriverJobManagerMemory.DEFAULT_PROCESS_SIZE)
                                            .getMebiBytes()
                                    + " MB at "
                                    + DriverJobManagerMemory.DEFAULT_PROCESS_SIZE.toString()
                                    + "), in place of"
                                    + " conf/config.yaml's jobmanager.memory.* (application and"
                                    + " session modes' size, 1024m in the distribution). A"
                                    + " submission that sizes its JobManager itself (-yjm, or a"
                                    + " jobmanager.memory.* size with -D/-yD) gets Flink's sizing"
                                    + " from those and conf/config.yaml instead, as does every"
                                    + " driver application with 0. At least "
                                    + DriverJobManagerMemory.MIN_PROCESS_SIZE.toString()
                                    + " (Flink's minimum heap of "
                                    + JobManagerOptions.MIN_JVM_HEAP_SIZE.getMebiBytes()
                                    + " MB). A JobManager that loads a file system plugin for HA"
                                    + " or checkpoint storage (S3, GCS, Azure) needs more metaspace"
                                    + " than this split's, whatever the process size: give it"
                                    + " -Djobmanager.memory.jvm-metaspace.size."
                                    + " -m <host:port> and -yid deploy nothing: the existing"
                                    + " cluster keeps its size.");

    // ------------------------------------------------------------------------------------------
    // The driver TaskManager's process around the driver slot. Flink sizes the JVM of every
    // TaskManager for data processing (taskmanager.memory.*); the driver's runs one task that
    // has no inputs, outputs, state or network buffers, so it gets its own, smaller sizes.
    // ------------------------------------------------------------------------------------------

    public static final ConfigOption<MemorySize> TASK_MANAGER_FRAMEWORK_HEAP =
            ConfigOptions.key("driver.taskmanager.framework.heap.size")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Framework heap of the driver's TaskManager (its"
                                    + " taskmanager.memory.framework.heap.size): the TaskExecutor's"
                                    + " own objects next to the driver task's heap. Flink's 128m is"
                                    + " sized for TaskManagers with many slots, tasks and network"
                                    + " buffers; the driver's hosts one task.");

    public static final ConfigOption<MemorySize> TASK_MANAGER_FRAMEWORK_OFF_HEAP =
            ConfigOptions.key("driver.taskmanager.framework.off-heap.size")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Framework off-heap (direct) memory of the driver's TaskManager (its"
                                    + " taskmanager.memory.framework.off-heap.size). It bounds,"
                                    + " with the driver's direct memory, the JVM's direct memory,"
                                    + " which the driver uses for RPC and for submitting its jobs;"
                                    + " Flink's 128m also serves network shuffles, which the driver"
                                    + " has none of.");

    public static final ConfigOption<MemorySize> TASK_MANAGER_JVM_METASPACE =
            ConfigOptions.key("driver.taskmanager.jvm-metaspace.size")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(192))
                    .withDescription(
                            "JVM metaspace of the driver's TaskManager (its"
                                    + " taskmanager.memory.jvm-metaspace.size): the classes of the"
                                    + " TaskManager, of main() and of what main() plans, such as"
                                    + " the Table/SQL planner. Flink's 256m leaves room for many"
                                    + " jobs' user code loaded over a TaskManager's life; the"
                                    + " driver's loads one program.");

    public static final ConfigOption<MemorySize> TASK_MANAGER_JVM_OVERHEAD_MIN =
            ConfigOptions.key("driver.taskmanager.jvm-overhead.min")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(128))
                    .withDescription(
                            "Minimum JVM overhead (thread stacks, code cache, GC structures) of"
                                    + " the driver's TaskManager (its"
                                    + " taskmanager.memory.jvm-overhead.min). Flink's 192m covers"
                                    + " the threads and native buffers of data processing.");

    public static final ConfigOption<MemorySize> TASK_MANAGER_JVM_OVERHEAD_MAX =
            ConfigOptions.key("driver.taskmanager.jvm-overhead.max")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1g"))
                    .withDescription(
                            "Maximum JVM overhead of the driver's TaskManager (its"
                                    + " taskmanager.memory.jvm-overhead.max).");

    public static final ConfigOption<Float> TASK_MANAGER_JVM_OVERHEAD_FRACTION =
            ConfigOptions.key("driver.taskmanager.jvm-overhead.fraction")
                    .floatType()
                    .defaultValue(0.1f)
                    .withDescription(
                            "JVM overhead of the driver's TaskManager as a fraction of its process"
                                    + " size, between driver.taskmanager.jvm-overhead.min and"
                                    + " .max (its taskmanager.memory.jvm-overhead.fraction): a"
                                    + " large driver heap needs more GC structures.");

    public static final ConfigOption<String> TASK_MANAGER_JVM_OPTIONS =
            ConfigOptions.key("driver.taskmanager.jvm-options")
                    .stringType()
                    .defaultValue("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                    .withDescription(
                            "JVM options of the driver's TaskManager only, placed before Flink's"
                                    + " env.java.opts.* (a later option wins, so those can override"
                                    + " these; a garbage collector chosen there replaces the one"
                                    + " chosen here, as the JVM refuses two). The default compiles with"
                                    + " C1 only and collects with one serial thread: the driver's"
                                    + " TaskManager runs one task, whose main() mostly waits for"
                                    + " its jobs, so C2's compiler threads and G1's parallel"
                                    + " collector cost CPU while the TaskManager starts that it"
                                    + " never earns back. A compute-heavy main() sets '' (the"
                                    + " JVM's defaults).");

    public static final ConfigOption<Boolean> CLASS_DATA_SHARING =
            ConfigOptions.key("driver.class-data-sharing")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Class-data sharing (Java's AppCDS) for the JVMs of a driver"
                                    + " application's containers: the JobManager, the driver's"
                                    + " TaskManager and the user-job TaskManagers map lib/'s"
                                    + " classes from an archive on their node instead of loading"
                                    + " them from the jars, about a quarter of the CPU such a JVM"
                                    + " spends to start and run a few jobs. The archive is made"
                                    + " once per node, role and lib/: the first container of a role"
                                    + " records its classes, the next one dumps the archive before"
                                    + " its JVM starts (about 5 CPU seconds), every later one maps"
                                    + " it. Archives live in the user's directory of the"
                                    + " NodeManager (LOCAL_USER_DIRS/flink-driver-cds, about 50 MB"
                                    + " each) and leave after 30 days unused. It needs lib/ cached"
                                    + " on the nodes (yarn.provided.lib.dirs) and containers that"
                                    + " run as their submitting user (LinuxContainerExecutor, or"
                                    + " one user for all), and does nothing where env.java.opts.*"
                                    + " set -XX:SharedArchiveFile or -Xshare, or for JVMs without"
                                    + " compressed oops (ZGC, heaps of 32 GB or more).");
}
