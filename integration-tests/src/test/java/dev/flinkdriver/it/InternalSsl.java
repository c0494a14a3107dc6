package dev.flinkdriver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's internal SSL (RPC, blob server, data exchange) as Flink's documentation sets it up on
 * YARN: one self-signed key pair, generated with the JDK's keytool, serves as keystore and
 * truststore, shipped with {@code -yt} and named by its path in the containers' working directory.
 */
final class InternalSsl {

    private static final String PASSWORD = "internal-store-password";

    private InternalSsl() {}

    /** The {@code flink-driver run} options that turn internal SSL on with a new key pair. */
    static List<String> options() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(TestPaths.itDir().resolve("ssl-" + System.nanoTime()));
        Path keystore = dir.resolve("internal.keystore");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "flink.internal",
                                "-keystore",
                                keystore.toString(),
                                "-dname",
                                "CN=flink.internal",
                                "-storepass",
                                PASSWORD,
                                "-keypass",
                                PASSWORD,
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-storetype",
                                "PKCS12",
                                "-validity",
                                "2")
                        .redirectErrorStream(true)
                        .start();
        assertThat(keytool.waitFor(1, TimeUnit.MINUTES)).as("keytool ends").isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        // Shipped as a directory: in each container it is <directory name>/internal.keystore.
        String inContainer = dir.getFileName() + "/" + keystore.getFileName();
        return List.of(
                "-yt",
                dir.toString(),
                "-yD",
                "security.ssl.internal.enabled=true",
                "-yD",
                "security.ssl.internal.keystore=" + inContainer,
                "-yD",
                "security.ssl.internal.truststore=" + inContainer,
                "-yD",
                "security.ssl.internal.keystore-password=" + PASSWORD,
                "-yD",
                "security.ssl.internal.truststore-password=" + PASSWORD,
                "-yD",
                "security.ssl.internal.key-password=" + PASSWORD);
    }
}
