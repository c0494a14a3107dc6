package dev.flinkdriver.entrypoint;

import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;

import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives the driver's TaskManager its own JVM options ({@code driver.taskmanager.jvm-options}).
 * Flink builds every TaskManager's start command from the same {@code env.java.opts.*}; the
 * driver's is recognised by the memory sizes Flink passes it, which are the driver's process spec
 * ({@link DriverResources#processSpec}): a TaskManager with exactly those sizes is a driver
 * TaskManager.
 */
final class DriverTaskManagerLaunch {

    private static final java.util.regex.Pattern GC_FLAG =
            java.util.regex.Pattern.compile("-XX:\\+Use\\w+GC\\b");

    private final String driverMarker;
    private final String jvmOptions;

    DriverTaskManagerLaunch(Configuration flinkConfig, DriverResources driverResources) {
        this.driverMarker =
                TaskExecutorProcessUtils.generateDynamicConfigsStr(driverResources.processSpec());
        this.jvmOptions = flinkConfig.get(DriverResourceOptions.TASK_MANAGER_JVM_OPTIONS).trim();
    }

    /** Adds the driver's JVM options to a driver TaskManager's start command, in place. */
    void apply(ContainerLaunchContext context) {
        if (jvmOptions.isEmpty() || context.getCommands() == null) {
            return;
        }
        final List<String> commands = new ArrayList<>(context.getCommands());
        boolean changed = false;
        for (int i = 0; i < commands.size(); i++) {
            final String command = commands.get(i);
            if (isDriverTaskManager(command)) {
                commands.set(i, JavaStartCommand.withJvmOptions(command, optionsFor(command)));
                changed = true;
            }
        }
        if (changed) {
            context.setCommands(commands);
        }
    }

    /**
     * The driver's options, without a collector of its own when the command already chooses one
     * ({@code env.java.opts.*}): a JVM given two refuses to start ("multiple garbage collectors
     * selected"), and the user's choice wins.
     */
    String optionsFor(String command) {
        if (!GC_FLAG.matcher(command).find()) {
            return jvmOptions;
        }
        return GC_FLAG.matcher(jvmOptions).replaceAll("").trim().replaceAll("\\s+", " ");
    }

    boolean isDriverTaskManager(String command) {
        return JavaStartCommand.isJava(command) && command.contains(driverMarker);
    }
}
