package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.yarn.configuration.YarnConfigOptions;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How the distribution's lib/ reaches YARN: Flink uploads it for every application unless {@code
 * yarn.provided.lib.dirs} names a copy on the cluster file system, which YARN localises once per
 * node and caches. On the local YARN that copy is lib/ itself, through the {@code localyarn://}
 * file system the local YARN declares.
 */
final class LibShipping {

    private LibShipping() {}

    static void configure(
            Configuration effective, YarnConfiguration yarnConf, Path libDir, Path workDir)
            throws IOException {
        if (!effective.contains(YarnConfigOptions.FLINK_DIST_JAR)) {
            distJar(libDir)
                    .ifPresent(j -> effective.set(YarnConfigOptions.FLINK_DIST_JAR, j.toString()));
        }
        boolean localYarn = LocalYarnSite.isLocalYarn(yarnConf);
        if (localYarn
                && effective.get(DriverClientOptions.LOCAL_YARN_LIB_CACHE)
                && !effective.contains(YarnConfigOptions.PROVIDED_LIB_DIRS)) {
            effective.set(YarnConfigOptions.PROVIDED_LIB_DIRS, List.of(LocalYarnSite.uri(libDir)));
            if (!effective.contains(YarnConfigOptions.STAGING_DIRECTORY)) {
                // Flink wants the staging directory on the file system of the provided libs.
                effective.set(
                        YarnConfigOptions.STAGING_DIRECTORY,
                        LocalYarnSite.uri(StagingDirectory.localRoot(workDir)));
            }
        }
    }

    /** The distribution's flink-dist jar, which Flink insists on finding among the libs. */
    private static Optional<Path> distJar(Path libDir) throws IOException {
        if (!Files.isDirectory(libDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(libDir)) {
            return files.filter(
                            f -> {
                                String n = f.getFileName().toString();
                                return n.startsWith("flink-dist") && n.endsWith(".jar");
                            })
                    .findFirst();
        }
    }
}
