package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which JobManager size a new driver cluster gets: the driver's lean one unless the command line
 * sizes the JobManager. The configuration is the unit tests' conf/config.yaml (1024m, like the
 * distribution's), merged with the command line by {@link DriverRunCommand}'s own code; that a
 * submission to an existing cluster (-m, -yid) never gets here is {@code FlinkDriverCliTest}'s.
 */
class JobManagerSizingTest {

    private static final String CONF_DIR = CliFrontend.getConfigurationDirectoryFromEnv();

    private static final Configuration CONFIG_YAML =
            GlobalConfiguration.loadConfiguration(CONF_DIR);

    private static final Options RUN_OPTIONS = DriverRunCommand.runOptions(CONFIG_YAML, CONF_DIR);

    /** Where a test reads no notices. */
    private static final PrintStream NO_NOTICES =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // command line | the JobManager's process size (512: the driver's default)
                "--driver app.jar | 512",
                "--driver -m yarn-cluster app.jar | 512",
                // the driver's own option, on the command line or in conf/config.yaml
                "-Ddriver.jobmanager.process.size=768m --driver app.jar | 768",
                "-yD driver.jobmanager.process.size=1g --driver app.jar | 1024",
                // not a size of the JobManager: the driver's size stays
                "-Djobmanager.memory.enable-jvm-direct-memory-limit=true --driver app.jar | 512",
                "-ytm 2048 -Dtaskmanager.memory.process.size=2g --driver app.jar | 512",
                // the user's size for this submission wins, even with the driver's option
                "-yjm 1024 --driver app.jar | 1024",
                "--yarnjobManagerMemory 2048 --driver app.jar | 2048",
                "-yjm 1024 -Ddriver.jobmanager.process.size=768m --driver app.jar | 1024",
                "-Djobmanager.memory.process.size=640m --driver app.jar | 640",
                "-yD jobmanager.memory.process.size=640m --driver app.jar | 640",
                // any JobManager size: Flink's sizing from it and conf/config.yaml (1024m)
                "-Djobmanager.memory.jvm-metaspace.size=200m --driver app.jar | 1024",
                "-yD jobmanager.memory.heap.size=300m --driver app.jar | 1024",
                // 0: conf/config.yaml's size for every driver application
                "-Ddriver.jobmanager.process.size=0 --driver app.jar | 1024",
            })
    void processSize(String commandLine, long processMb) throws Exception {
        CommandLine cl = parse(commandLine);
        Configuration effective = effective(CONFIG_YAML, cl);

        JobManagerSizing.applyToNewCluster(cl, effective, NO_NOTICES);

        assertThat(effective.get(JobManagerOptions.TOTAL_PROCESS_MEMORY))
                .isEqualTo(MemorySize.ofMebiBytes(processMb));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "--driver app.jar",
        "-Ddriver.jobmanager.process.size=1g --driver app.jar",
    })
    void theDriversSizeComesWithItsLeanSplit(String commandLine) throws Exception {
        CommandLine cl = parse(commandLine);
        Configuration effective = effective(CONFIG_YAML, cl);

        JobManagerSizing.applyToNewCluster(cl, effective, NO_NOTICES);

        assertThat(effective.get(JobManagerOptions.JVM_METASPACE))
                .isEqualTo(MemorySize.ofMebiBytes(128));
        assertThat(effective.get(JobManagerOptions.JVM_OVERHEAD_MIN))
                .isEqualTo(MemorySize.ofMebiBytes(96));
        assertThat(effective.get(JobManagerOptions.OFF_HEAP_MEMORY))
                .isEqualTo(MemorySize.ofMebiBytes(64));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "-yjm 1024 --driver app.jar",
        "-Djobmanager.memory.jvm-metaspace.size=200m --driver app.jar",
        "-Ddriver.jobmanager.process.size=0 --driver app.jar",
    })
    void theUsersSizeIsLeftAsFlinkReadsIt(String commandLine) throws Exception {
        CommandLine cl = parse(commandLine);
        Configuration effective = effective(CONFIG_YAML, cl);
        Map<String, String> before = effective.toMap();

        JobManagerSizing.applyToNewCluster(cl, effective, NO_NOTICES);

        assertThat(effective.toMap()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "-Ddriver.jobmanager.process.size=300m --driver app.jar",
        "-yD driver.jobmanager.process.size=300m --driver app.jar",
    })
    void tooSmallIsBadInput(String commandLine) throws Exception {
        CommandLine cl = parse(commandLine);

        assertThatThrownBy(
                        () ->
                                JobManagerSizing.applyToNewCluster(
                                        cl, effective(CONFIG_YAML, cl), NO_NOTICES))
                .isInstanceOfSatisfying(
                        CliException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
                .hasMessageStartingWith(
                        "driver.jobmanager.process.size: 300 mb is too small, at least 416 mb");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "jobmanager.memory.process.size: 2048m | --driver app.jar |"
                        + " jobmanager.memory.process.size: 2048m",
                "jobmanager.memory.jvm-metaspace.size: 256m | -ytm 2048 --driver app.jar |"
                        + " jobmanager.memory.jvm-metaspace.size: 256m,"
                        + " jobmanager.memory.process.size: 1024m",
            })
    void aSizeTheUserChoseInConfigYamlIsNamedOnStderr(
            String configYaml, String commandLine, String named) throws Exception {
        Configuration config = withConfigYaml(configYaml);
        CommandLine cl = parse(commandLine);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Configuration effective = effective(config, cl);

        JobManagerSizing.applyToNewCluster(
                cl, effective, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(effective.get(JobManagerOptions.TOTAL_PROCESS_MEMORY))
                .isEqualTo(MemorySize.ofMebiBytes(512));
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "flink-driver: conf/config.yaml's "
                                + named
                                + " does not size driver mode's JobManager,"
                                + " driver.jobmanager.process.size does (512 mb); -yjm or"
                                + " -Djobmanager.memory.* sizes it for one submission,"
                                + " driver.jobmanager.process.size: 0 gives every driver"
                                + " application conf/config.yaml's sizes");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the distribution's own size, there for application and session modes
                "jobmanager.memory.process.size: 1g | --driver app.jar",
                // the user's size for this submission
                "jobmanager.memory.process.size: 2048m | -yjm 2048 --driver app.jar",
                // the user chose the driver's size too
                "jobmanager.memory.process.size: 2048m; driver.jobmanager.process.size: 768m |"
                        + " --driver app.jar",
                // conf/config.yaml's sizes apply
                "jobmanager.memory.process.size: 2048m | -Ddriver.jobmanager.process.size=0"
                        + " --driver app.jar",
            })
    void noNoticeWhereNothingTheUserChoseIsReplaced(String configYaml, String commandLine)
            throws Exception {
        Configuration config = withConfigYaml(configYaml);
        CommandLine cl = parse(commandLine);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        JobManagerSizing.applyToNewCluster(
                cl, effective(config, cl), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theShippedSizeIsTheDistributionsConfigYamls() {
        Configuration shipped =
                GlobalConfiguration.loadConfiguration(
                        Path.of("..", "dist", "src", "main", "dist", "conf").toString());

        assertThat(shipped.get(JobManagerOptions.TOTAL_PROCESS_MEMORY))
                .isEqualTo(JobManagerSizing.SHIPPED_PROCESS_SIZE);
    }

    private static CommandLine parse(String commandLine) throws Exception {
        return CliFrontendParser.parse(RUN_OPTIONS, commandLine.split(" "), true);
    }

    /** {@code config} and the command line's settings, merged by {@code DriverRunCommand}. */
    private static Configuration effective(Configuration config, CommandLine cl) throws Exception {
        return new DriverRunCommand(config, CONF_DIR, Path.of("target"), NO_NOTICES, NO_NOTICES)
                .effectiveConfiguration(cl);
    }

    /** The tests' conf/config.yaml with {@code entries} ({@code key: value; ...}) added. */
    private static Configuration withConfigYaml(String entries) {
        Configuration config = new Configuration(CONFIG_YAML);
        java.util.Arrays.stream(entries.split(";"))
                .map(l -> l.split(":", 2))
                .forEach(kv -> config.setString(kv[0].strip(), kv[1].strip()));
        return config;
    }
}
