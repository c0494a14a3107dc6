package dev.flinkdriver.client;

import dev.flinkdriver.resources.DriverResources;
import dev.flinkdriver.resources.YarnSchedulerLimits;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.util.List;

/**
 * Refuses driver resources that YARN could never grant, before anything is deployed: YARN silently
 * ignores a container request above its maximum allocation, and the application would wait forever.
 */
final class DriverResourceCheck {

    private DriverResourceCheck() {}

    static void check(Configuration conf, YarnConfiguration yarnConf, YarnClient yarn)
            throws Exception {
        List<String> problems = DriverResources.validate(conf);
        if (problems.isEmpty()) {
            Resource max = maximum(yarn);
            problems =
                    DriverResources.validate(
                            conf,
                            new YarnSchedulerLimits(
                                    yarnConf.getInt(
                                            YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB,
                                            YarnConfiguration
                                                    .DEFAULT_RM_SCHEDULER_MINIMUM_ALLOCATION_MB),
                                    yarnConf.getInt(
                                            YarnConfiguration
                                                    .RM_SCHEDULER_MINIMUM_ALLOCATION_VCORES,
                                            YarnConfiguration
                                                    .DEFAULT_RM_SCHEDULER_MINIMUM_ALLOCATION_VCORES),
                                    (int) max.getMemorySize(),
                                    max.getVirtualCores()));
        }
        if (!problems.isEmpty()) {
            throw CliException.usage(String.join("; ", problems));
        }
    }

    /**
     * YARN's maximum allocation as its scheduler reports it to a new application. Asking for a new
     * application id creates nothing in YARN until it is submitted.
     */
    private static Resource maximum(YarnClient yarn) throws Exception {
        return yarn.createApplication().getNewApplicationResponse().getMaximumResourceCapability();
    }
}
