package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * High-availability settings the client refuses before it deploys: run through {@link
 * FlinkDriverCli} as a user runs it, with no YARN anywhere (a refusal must come before YARN is
 * contacted).
 */
@Timeout(60) // without the check the client would go on and wait for a YARN that is not there
class HaPreflightTest {

    @TempDir Path dir;

    @Test
    void attemptsWithoutHaAreRefusedInOneLineWithExitCode2() throws Exception {
        Cli cli = run("-yD", "yarn.application-attempts=2", jar().toString());

        assertThat(cli.exitCode).isEqualTo(CliException.USAGE);
        assertThat(cli.out).isEmpty();
        assertThat(cli.err.lines()).hasSize(1);
        assertThat(cli.err)
                .startsWith("flink-driver: yarn.application-attempts=2 without high availability")
                .contains("would run main() and every job again")
                .contains("-yD high-availability.type=zookeeper")
                .contains("high-availability.zookeeper.quorum")
                .contains("driver.client.allow-reruns-without-ha=true");
    }

    @Test
    void zookeeperHaWithoutAQuorumIsRefused() throws Exception {
        Cli cli =
                run(
                        "-yD",
                        "high-availability.type=zookeeper",
                        "-yD",
                        "yarn.application-attempts=2",
                        jar().toString());

        assertThat(cli.exitCode).isEqualTo(CliException.USAGE);
        assertThat(cli.err.lines()).hasSize(1);
        assertThat(cli.err).contains("needs high-availability.zookeeper.quorum");
    }

    @Test
    void rerunsWithoutHaPassWhenTheUserAcceptsThem() {
        Configuration conf = new Configuration();
        conf.set(YarnConfigOptions.APPLICATION_ATTEMPTS, 3);
        conf.set(DriverHaOptions.ALLOW_RERUNS_WITHOUT_HA, true);
        assertThatCode(() -> HaPreflight.check(conf)).doesNotThrowAnyException();
    }

    @Test
    void haWithAQuorumAndOneAttemptByDefaultPass() {
        Configuration ha = new Configuration();
        ha.set(HighAvailabilityOptions.HA_MODE, "zookeeper");
        ha.set(HighAvailabilityOptions.HA_ZOOKEEPER_QUORUM, "localhost:2181");
        assertThatCode(() -> HaPreflight.check(ha)).doesNotThrowAnyException();
        assertThatCode(() -> HaPreflight.check(new Configuration())).doesNotThrowAnyException();

        Configuration oneAttemptSaidTwice = new Configuration();
        oneAttemptSaidTwice.set(YarnConfigOptions.APPLICATION_ATTEMPTS, 1);
        assertThatCode(() -> HaPreflight.check(oneAttemptSaidTwice)).doesNotThrowAnyException();

        Configuration two = new Configuration();
        two.set(YarnConfigOptions.APPLICATION_ATTEMPTS, 2);
        assertThatThrownBy(() -> HaPreflight.check(two)).isInstanceOf(CliException.class);
    }

    private record Cli(int exitCode, String out, String err) {}

    private Cli run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = "-D";
        System.arraycopy(args, 0, all, 2, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                FlinkDriverCli.run(
                        all,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** An application jar whose Main-Class exists, so that only the HA settings are wrong. */
    private Path jar() throws IOException {
        Path jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, App.class.getName());
        String entry = App.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream in = App.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** The application main class; never run. */
    public static final class App {
        public static void main(String[] args) {}
    }
}
