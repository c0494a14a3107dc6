package dev.flinkdriver.client;

import dev.flinkdriver.resources.DriverJobManagerMemory;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;

import org.apache.commons.cli.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JobManager's size of a new driver cluster: {@code driver.jobmanager.process.size} ({@link
 * DriverJobManagerMemory}) unless this submission sizes the JobManager itself. Only the command
 * line counts as the user's choice: conf/config.yaml's {@code jobmanager.memory.process.size} is
 * there for application and session modes too, and sizes their JobManagers, which run main(). Where
 * conf/config.yaml sizes the JobManager otherwise than the distribution ships it, the user chose
 * that size, and the client says on stderr that driver mode does not use it.
 */
final class JobManagerSizing {

    private static final Logger LOG = LoggerFactory.getLogger(JobManagerSizing.class);

    /** Flink's YARN command line's {@code -yjm}/{@code --yarnjobManagerMemory}. */
    static final String YARN_JOB_MANAGER_MEMORY = "yjm";

    /** Dynamic properties: {@code -Dkey=value} and {@code -yD key=value}. */
    private static final String[] DYNAMIC_PROPERTIES = {"D", "yD"};

    /** conf/config.yaml's JobManager size as the distribution ships it (dist/.../conf). */
    static final MemorySize SHIPPED_PROCESS_SIZE = MemorySize.ofMebiBytes(1024);

    private JobManagerSizing() {}

    /**
     * Sizes the JobManager of {@code effective}, a new cluster's configuration; a size of
     * conf/config.yaml's that this replaces and the user chose is named on {@code err}.
     */
    static void applyToNewCluster(CommandLine cl, Configuration effective, PrintStream err)
            throws CliException {
        if (sizedOnCommandLine(cl)) {
            LOG.info(
                    "The JobManager is sized on the command line: {} does not apply",
                    DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key());
            return;
        }
        Map<String, String> configured = flinkSizes(effective);
        boolean driverSizeChosen =
                effective.contains(DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE);
        Optional<JobManagerProcessSpec> spec;
        try {
            spec = DriverJobManagerMemory.apply(effective);
        } catch (IllegalConfigurationException e) {
            throw CliException.usage(e.getMessage());
        }
        if (spec.isEmpty()) {
            return;
        }
        LOG.info("The driver's JobManager: {}", spec.get());
        if (!driverSizeChosen && !isShipped(configured)) {
            String notice =
                    "conf/config.yaml's "
                            + configured.entrySet().stream()
                                    .map(e -> e.getKey() + ": " + e.getValue())
                                    .collect(Collectors.joining(", "))
                            + " does not size driver mode's JobManager, "
                            + DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key()
                            + " does ("
                            + effective.get(JobManagerOptions.TOTAL_PROCESS_MEMORY)
                            + "); -yjm or -Djobmanager.memory.* sizes it for one submission, "
                            + DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key()
                            + ": 0 gives every driver application conf/config.yaml's sizes";
            LOG.warn(notice);
            err.println("flink-driver: " + notice);
        }
    }

    /** Flink's JobManager sizes in {@code config}, by key. */
    private static Map<String, String> flinkSizes(Configuration config) {
        return config.toMap().entrySet().stream()
                .filter(e -> DriverJobManagerMemory.isFlinkSizeKey(e.getKey()))
                .collect(
                        Collectors.toMap(
                                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** None, or the distribution's own {@code jobmanager.memory.process.size} alone. */
    private static boolean isShipped(Map<String, String> sizes) {
        if (sizes.isEmpty()) {
            return true;
        }
        String processSize = sizes.get(JobManagerOptions.TOTAL_PROCESS_MEMORY.key());
        try {
            return sizes.size() == 1
                    && processSize != null
                    && MemorySize.parse(processSize).equals(SHIPPED_PROCESS_SIZE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean sizedOnCommandLine(CommandLine cl) {
        return cl.hasOption(YARN_JOB_MANAGER_MEMORY)
                || Stream.of(DYNAMIC_PROPERTIES)
                        .flatMap(o -> cl.getOptionProperties(o).stringPropertyNames().stream())
                        .anyMatch(DriverJobManagerMemory::isFlinkSizeKey);
    }
}
