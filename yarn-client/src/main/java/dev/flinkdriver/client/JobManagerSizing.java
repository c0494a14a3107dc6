package dev.flinkdriver.client;

import dev.flinkdriver.resources.DriverJobManagerMemory;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;

import org.apache.commons.cli.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JobManager's size of a new driver cluster: {@code driver.jobmanager.process.size} ({@link
 * DriverJobManagerMemory}) unless this submission sizes the JobManager itself. Only the command
 * line counts as the user's choice: conf/config.yaml's {@code jobmanager.memory.process.size} is
 * there for application and session modes too, and sizes their JobManagers, which run main().
 */
final class JobManagerSizing {

    private static final Logger LOG = LoggerFactory.getLogger(JobManagerSizing.class);

    /** Flink's YARN command line's {@code -yjm}/{@code --yarnjobManagerMemory}. */
    static final String YARN_JOB_MANAGER_MEMORY = "yjm";

    /** Dynamic properties: {@code -Dkey=value} and {@code -yD key=value}. */
    private static final String[] DYNAMIC_PROPERTIES = {"D", "yD"};

    private JobManagerSizing() {}

    /** Sizes the JobManager of {@code effective}, a new cluster's configuration. */
    static void applyToNewCluster(CommandLine cl, Configuration effective) throws CliException {
        if (sizedOnCommandLine(cl)) {
            LOG.info(
                    "The JobManager is sized on the command line: {} does not apply",
                    DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE.key());
            return;
        }
        Optional<JobManagerProcessSpec> spec;
        try {
            spec = DriverJobManagerMemory.apply(effective);
        } catch (IllegalConfigurationException e) {
            throw CliException.usage(e.getMessage());
        }
        spec.ifPresent(s -> LOG.info("The driver's JobManager: {}", s));
    }

    static boolean sizedOnCommandLine(CommandLine cl) {
        return cl.hasOption(YARN_JOB_MANAGER_MEMORY)
                || Stream.of(DYNAMIC_PROPERTIES)
                        .flatMap(o -> cl.getOptionProperties(o).stringPropertyNames().stream())
                        .anyMatch(DriverJobManagerMemory::isFlinkSizeKey);
    }
}
