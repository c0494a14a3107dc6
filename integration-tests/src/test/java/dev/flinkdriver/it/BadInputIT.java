package dev.flinkdriver.it;

import dev.flinkdriver.client.YarnApplicationStates;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every mistake: one line on stderr naming the problem, a documented exit code (2 bad input, 1
 * failure after the input was accepted), and nothing left behind in YARN or staging.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BadInputIT {

    /** The name of the application a {@code run} of the multi-job example would start. */
    private static final String EXAMPLE_APPLICATION =
            "Flink Driver: dev.flinkdriver.examples.MultiJobExample";

    private static Path unreachableYarnConf;

    @BeforeAll
    static void fixtures() throws Exception {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("bad-input"));
        // A YARN configuration whose ResourceManager does not answer.
        unreachableYarnConf = Files.createDirectories(dir.resolve("unreachable-yarn"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(
                unreachableYarnConf.resolve("yarn-site.xml"),
                "<configuration><property><name>yarn.resourcemanager.address</name>"
                        + "<value>localhost:"
                        + closedPort
                        + "</value></property></configuration>");
    }

    /**
     * The mistakes only a YARN can reveal. Those the client sees without YARN (parsing, option
     * values, files, {@code -d} with {@code -D}, jar checks) are unit tests of the client:
     * FlinkDriverCliTest in yarn-client.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> mistakes() {
        String example = TestPaths.distDir().resolve("examples/multi-job-example.jar").toString();
        return Stream.of(
                arguments(
                        "unknown queue",
                        2,
                        "no queue 'nosuch'",
                        List.of("run", "-D", "-yqu", "nosuch", example)),
                arguments(
                        "driver above YARN's maximum allocation",
                        2,
                        "more than YARN's maximum allocation of 8192 MB",
                        List.of("run", "-D", "--driverheapmemory", "20000", example)),
                arguments(
                        "unreachable -m",
                        1,
                        "localhost:1",
                        List.of("run", "-D", "-m", "localhost:1", example)),
                arguments(
                        "unknown -yid",
                        1,
                        "application_1_9999",
                        List.of("run", "-D", "-yid", "application_1_9999", example)),
                arguments(
                        "status of an unknown application",
                        2,
                        "application_1_9999",
                        List.of("status", "application_1_9999")),
                arguments(
                        "cancel of an unknown application",
                        2,
                        "application_1_9999",
                        List.of("cancel", "application_1_9999")),
                arguments(
                        "YARN not reachable",
                        1,
                        "Cannot reach YARN's ResourceManager",
                        List.of("@unreachable", "run", "-D", example)),
                arguments(
                        "application fails while deploying",
                        1,
                        "logs",
                        List.of(
                                "run",
                                "-D",
                                "-yD",
                                "driver.client.return-when=RUNNING",
                                "-yD",
                                "env.java.opts.jobmanager=-Xmx2m",
                                example)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void oneLineDocumentedExitCodeNothingLeftBehind(
            String mistake, int exitCode, String message, List<String> command) throws Exception {
        Set<Path> staging = StagingFiles.snapshot();
        long since = System.currentTimeMillis();
        Path hadoopConf = TestYarn.get().hadoopConfDir();
        List<String> args = new ArrayList<>();
        for (String a : command) {
            switch (a) {
                case "@unreachable" -> hadoopConf = unreachableYarnConf;
                default -> args.add(a);
            }
        }

        FlinkDriverCommand.Result r =
                FlinkDriverCommand.runWithHadoopConf(hadoopConf, args.toArray(String[]::new));

        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isEqualTo(exitCode);
        assertThat(r.stderr().strip().lines()).as("stderr").hasSize(1);
        assertThat(r.stderr()).startsWith("flink-driver: ").contains(message);
        assertThat(TestYarn.get().applicationsNamedSince(EXAMPLE_APPLICATION, since))
                .as("applications left NEW/ACCEPTED/RUNNING")
                .allMatch(YarnApplicationStates::isFinal);
        assertThat(StagingFiles.newSince(staging)).as("staging files left").isEmpty();
    }
}
