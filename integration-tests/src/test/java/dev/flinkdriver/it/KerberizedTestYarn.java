package dev.flinkdriver.it;

import dev.flinkdriver.localyarn.LocalKerberos;
import dev.flinkdriver.localyarn.LocalYarnCluster;
import dev.flinkdriver.localyarn.LocalYarnLayout;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A Kerberized local YARN (its own KDC, {@code bin/local-yarn start --kerberos}) for each test
 * class that uses it, in a directory of its own: started before the class, stopped after it, and
 * apart from {@link TestYarn}, which the other classes share. The test JVM itself never logs in to
 * Kerberos (Hadoop's login state is global to a JVM, and the other classes' YARN clients share it):
 * the tests talk to this YARN through {@code bin/flink-driver} only ({@link KerberizedCli}), as
 * alice and bob do.
 */
public final class KerberizedTestYarn implements BeforeAllCallback, AfterAllCallback {

    private static volatile LocalYarnCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        LocalYarnLayout layout =
                new LocalYarnLayout(
                        TestPaths.itDir().resolve("secured-yarn"),
                        TestPaths.distDir().resolve("opt/local-yarn"),
                        TestPaths.distDir().resolve("hadoop"),
                        TestPaths.distDir().resolve("lib"),
                        16384,
                        16,
                        true);
        LocalYarnCluster c = new LocalYarnCluster(layout, true);
        c.stop(); // a run killed earlier may have left its daemons
        long t0 = System.nanoTime();
        c.start(0, Duration.ofSeconds(240));
        System.err.printf(
                "KerberizedTestYarn: started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        cluster = c;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        LocalYarnCluster c = cluster;
        cluster = null;
        if (c != null) {
            c.stop();
        }
    }

    static Path hadoopConfDir() {
        return get().hadoopConfDir();
    }

    static LocalKerberos kerberos() {
        return get().kerberos().orElseThrow();
    }

    static Path containerLogs() {
        return get().layout().containerLogs();
    }

    /**
     * Every container log file of this name of the application, concatenated, from {@link
     * #containerLogs()}: the NodeManager keeps them there after aggregating them ({@code
     * yarn.nodemanager.delete.debug-delay-sec}).
     */
    static String containerLogFiles(String applicationId, String fileName) throws IOException {
        StringBuilder content = new StringBuilder();
        try (Stream<Path> files = Files.walk(containerLogs().resolve(applicationId))) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals(fileName))
                            .sorted()
                            .toList()) {
                content.append(Files.readString(file));
            }
        }
        return content.toString();
    }

    /** {@code yarn.nodemanager.remote-app-log-dir}: the aggregated logs, by user. */
    static Path aggregatedLogs() {
        return get().layout().aggregatedLogs();
    }

    /** The NodeManager's {@code yarn.nodemanager.local-dirs}: the containers' working dirs. */
    static Path nodeManagerLocalDir() {
        return get().layout().dir().resolve("nm-local");
    }

    /** The quorum of its ZooKeeper, which accepts SASL (Kerberos) clients. */
    static String zookeeperQuorum() throws IOException {
        return get().zookeeperQuorum();
    }

    private static LocalYarnCluster get() {
        if (cluster == null) {
            throw new IllegalStateException("Use @ExtendWith(KerberizedTestYarn.class)");
        }
        return cluster;
    }
}
