package dev.flinkdriver.entrypoint;

import dev.flinkdriver.resources.DriverResourceOptions;
import dev.flinkdriver.resources.DriverResources;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;

import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.util.Records;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriverTaskManagerLaunchTest {

    private static final Configuration CONFIG = new Configuration();
    private static final DriverResources DRIVER = DriverResources.fromConfiguration(CONFIG);

    private static String command(String dynamicConfigs) {
        return "$JAVA_HOME/bin/java -Xmx100m -Dlog.file=x org.apache.flink.yarn.YarnTaskExecutorRunner "
                + dynamicConfigs
                + " --configDir . 1> out 2> err";
    }

    private static ContainerLaunchContext launch(String command) {
        ContainerLaunchContext context = Records.newRecord(ContainerLaunchContext.class);
        context.setCommands(List.of(command));
        return context;
    }

    @Test
    void driverTaskManagerGetsTheDriverJvmOptionsBeforeFlinks() {
        ContainerLaunchContext context =
                launch(
                        command(
                                TaskExecutorProcessUtils.generateDynamicConfigsStr(
                                        DRIVER.processSpec())));

        new DriverTaskManagerLaunch(CONFIG, DRIVER).apply(context);

        assertThat(context.getCommands().get(0))
                .startsWith(
                        "$JAVA_HOME/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx100m ");
    }

    @Test
    void aCollectorChosenInEnvJavaOptsWinsOverTheDriversOwn() {
        String dynamicConfigs =
                TaskExecutorProcessUtils.generateDynamicConfigsStr(DRIVER.processSpec());
        ContainerLaunchContext context =
                launch(command(dynamicConfigs).replace("-Xmx100m", "-Xmx100m -XX:+UseG1GC"));

        new DriverTaskManagerLaunch(CONFIG, DRIVER).apply(context);

        assertThat(context.getCommands().get(0))
                .startsWith("$JAVA_HOME/bin/java -XX:TieredStopAtLevel=1 -Xmx100m -XX:+UseG1GC ")
                .doesNotContain("UseSerialGC");
    }

    @Test
    void otherTaskManagersKeepFlinksCommand() {
        Configuration user = Configuration.fromMap(Map.of("driver.heap-memory", "1g"));
        String other =
                command(
                        TaskExecutorProcessUtils.generateDynamicConfigsStr(
                                DriverResources.fromConfiguration(user).processSpec()));
        ContainerLaunchContext context = launch(other);

        new DriverTaskManagerLaunch(CONFIG, DRIVER).apply(context);

        assertThat(context.getCommands()).containsExactly(other);
    }

    @Test
    void emptyOptionsLeaveTheCommandAlone() {
        Configuration config = new Configuration();
        config.set(DriverResourceOptions.TASK_MANAGER_JVM_OPTIONS, " ");
        String driver =
                command(TaskExecutorProcessUtils.generateDynamicConfigsStr(DRIVER.processSpec()));
        ContainerLaunchContext context = launch(driver);

        new DriverTaskManagerLaunch(config, DRIVER).apply(context);

        assertThat(context.getCommands()).containsExactly(driver);
    }
}
