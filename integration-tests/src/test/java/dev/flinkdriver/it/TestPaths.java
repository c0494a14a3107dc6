package dev.flinkdriver.it;

import java.nio.file.Path;

/** Paths the build hands to the integration tests (see the failsafe configuration). */
final class TestPaths {

    private TestPaths() {}

    static Path distDir() {
        return Path.of(System.getProperty("flinkdriver.dist.dir")).toAbsolutePath().normalize();
    }

    /** Flink's YARN jar in the distribution's lib/, named after pom.xml's Flink version. */
    static Path flinkYarnJar() {
        return distDir()
                .resolve(
                        "lib/flink-yarn-"
                                + System.getProperty("flinkdriver.flink.version")
                                + ".jar");
    }

    static Path itDir() {
        return Path.of(System.getProperty("flinkdriver.it.dir")).toAbsolutePath().normalize();
    }

    /** The client's work directory in the tests (FLINK_DRIVER_WORK_DIR): staging, scratch. */
    static Path clientWorkDir() {
        return itDir().resolve("client-var");
    }

    static Path flinkExamplesJar() {
        return Path.of(System.getProperty("flinkdriver.flink.examples.jar"));
    }

    static Path flinkTableExamplesJar() {
        return Path.of(System.getProperty("flinkdriver.flink.table.examples.jar"));
    }
}
