package dev.flinkdriver.client;

import dev.flinkdriver.resources.DriverResources;
import dev.flinkdriver.resources.YarnSchedulerLimits;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.QueueState;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.util.List;

/**
 * Checks what YARN would refuse only after the application exists, before anything is deployed: a
 * driver container above YARN's maximum allocation (YARN silently ignores such requests and the
 * application would wait forever) and an unknown or stopped queue (YARN would leave a FAILED
 * application behind).
 */
final class YarnPreflight {

    private YarnPreflight() {}

    static void check(Configuration conf, YarnConfiguration yarnConf, YarnClient yarn)
            throws Exception {
        checkQueue(conf, yarn);
        checkDriverResources(conf, yarnConf, yarn);
    }

    private static void checkQueue(Configuration conf, YarnClient yarn) throws Exception {
        String queue = conf.get(YarnConfigOptions.APPLICATION_QUEUE);
        if (queue == null || queue.isBlank()) {
            return;
        }
        // CapacityScheduler knows leaf queues by their short name.
        String leaf = queue.substring(queue.lastIndexOf('.') + 1);
        QueueInfo info = yarn.getQueueInfo(leaf);
        if (info == null) {
            throw CliException.usage(
                    "YARN has no queue '" + queue + "' (-yqu/yarn.application.queue)");
        }
        if (info.getQueueState() == QueueState.STOPPED) {
            throw CliException.usage(
                    "YARN queue '" + queue + "' is stopped and accepts no applications");
        }
    }

    private static void checkDriverResources(
            Configuration conf, YarnConfiguration yarnConf, YarnClient yarn) throws Exception {
        List<String> problems = DriverResources.validate(conf);
        if (problems.isEmpty()) {
            Resource max = maximumAllocation(yarn);
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
     * YARN's maximum allocation as its scheduler reports it to a new application. A new application
     * id creates nothing in YARN until an application is submitted with it.
     */
    private static Resource maximumAllocation(YarnClient yarn) throws Exception {
        return yarn.createApplication().getNewApplicationResponse().getMaximumResourceCapability();
    }
}
