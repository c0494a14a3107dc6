package dev.flinkdriver.it;

import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptionsInternal;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.flink.yarn.configuration.YarnLogConfigUtil;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves the platform: Flink 2.3 deployed from the assembled distribution into the test YARN with
 * Flink's own {@link YarnClusterDescriptor}, running Flink's own streaming WordCount.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FlinkOnYarnPlatformIT {

    private static final Pattern COUNT = Pattern.compile("\\((\\w+),(\\d+)\\)");

    @Test
    void sessionClusterFromTheDistributionRunsWordCountAndReleasesItsContainers() throws Exception {
        TestYarn yarn = TestYarn.get();
        Path dist = TestPaths.distDir();
        Path output = TestPaths.itDir().resolve("platform-wordcount-" + System.nanoTime());

        Configuration flinkConf =
                GlobalConfiguration.loadConfiguration(dist.resolve("conf").toString());
        flinkConf.set(DeploymentOptionsInternal.CONF_DIR, dist.resolve("conf").toString());
        YarnLogConfigUtil.setLogConfigFileInConfig(flinkConf, dist.resolve("conf").toString());
        flinkConf.set(YarnConfigOptions.FLINK_DIST_JAR, TestPaths.flinkYarnJar().toString());
        flinkConf.set(YarnConfigOptions.SHIP_FILES, List.of(dist.resolve("lib").toString()));
        flinkConf.set(
                YarnConfigOptions.STAGING_DIRECTORY,
                TestPaths.itDir().resolve("staging").toUri().toString());
        flinkConf.set(YarnConfigOptions.APPLICATION_NAME, "flink-driver platform IT");

        ApplicationId appId;
        try (YarnClusterDescriptor descriptor =
                new YarnClusterDescriptor(
                        flinkConf,
                        yarn.yarnConfiguration(),
                        yarn.yarnClient(),
                        YarnClientYarnClusterInformationRetriever.create(yarn.yarnClient()),
                        true)) {
            ClusterSpecification spec =
                    new ClusterSpecification.ClusterSpecificationBuilder()
                            .setMasterMemoryMB(1024)
                            .setTaskManagerMemoryMB(1280)
                            .setSlotsPerTaskManager(2)
                            .createClusterSpecification();
            try (ClusterClient<ApplicationId> client =
                    descriptor.deploySessionCluster(spec).getClusterClient()) {
                appId = client.getClusterId();

                PackagedProgram wordCount =
                        PackagedProgram.newBuilder()
                                .setJarFile(TestPaths.flinkExamplesJar().toFile())
                                .setEntryPointClassName(
                                        "org.apache.flink.streaming.examples.wordcount.WordCount")
                                .setArguments(
                                        "--execution-mode", "BATCH", "--output", output.toString())
                                .build();
                JobGraph jobGraph =
                        PackagedProgramUtils.createJobGraph(wordCount, flinkConf, 1, false);
                client.submitJob(jobGraph).get(60, TimeUnit.SECONDS);
                JobResult result =
                        client.requestJobResult(jobGraph.getJobID()).get(180, TimeUnit.SECONDS);
                assertThat(result.isSuccess())
                        .as("WordCount result: %s", result.getSerializedThrowable())
                        .isTrue();

                client.shutDownCluster();
            }
        }

        ApplicationReport report = yarn.waitForFinalState(appId, Duration.ofSeconds(60));
        assertThat(report.getYarnApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
        assertThat(report.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);

        assertThat(readCounts(output)).isEqualTo(expectedCounts());
        awaitNoContainers(yarn, Duration.ofSeconds(30));
    }

    /** The counts WordCount must produce for its built-in text, tokenised as it does. */
    static Map<String, Integer> expectedCounts() throws Exception {
        try (URLClassLoader cl =
                new URLClassLoader(new URL[] {TestPaths.flinkExamplesJar().toUri().toURL()})) {
            String[] text =
                    (String[])
                            cl.loadClass(
                                            "org.apache.flink.streaming.examples.wordcount.util.WordCountData")
                                    .getField("WORDS")
                                    .get(null);
            Map<String, Integer> counts = new TreeMap<>();
            for (String line : text) {
                for (String token : line.toLowerCase().split("\\W+")) {
                    if (!token.isEmpty()) {
                        counts.merge(token, 1, Integer::sum);
                    }
                }
            }
            return counts;
        }
    }

    static Map<String, Integer> readCounts(Path output) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = COUNT.matcher(line);
                    if (m.matches()) {
                        counts.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
                    }
                }
            }
        }
        return counts;
    }

    static void awaitNoContainers(TestYarn yarn, Duration timeout) {
        await("no containers allocated on the test YARN")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () ->
                                yarn.yarnClient().getNodeReports().stream()
                                        .mapToInt(NodeReport::getNumContainers)
                                        .sum(),
                        containers -> containers == 0);
    }
}
