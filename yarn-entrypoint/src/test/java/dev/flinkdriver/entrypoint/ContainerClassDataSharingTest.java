package dev.flinkdriver.entrypoint;

import dev.flinkdriver.entrypoint.ContainerClassDataSharing.Role;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.util.Records;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the start command as YARN's launch script does ({@code exec /bin/bash -c "..."}, in a
 * container directory whose lib/ links to a cache of the NodeManager's), with a real JVM: the first
 * container records, the next dumps and maps the archive, a third maps it.
 */
@Timeout(120)
class ContainerClassDataSharingTest {

    private static final String MAIN = CdsProbe.class.getName();

    @TempDir Path root;

    private Path userDir;

    private Path filecache;

    private int containers;

    /** The user the containers run as; YARN exports the submitting user as USER. */
    private String user = System.getProperty("user.name");

    @BeforeEach
    void setUp() throws IOException {
        userDir = Files.createDirectories(root.resolve("nm-local/usercache/alice"));
        filecache = Files.createDirectories(root.resolve("nm-local/filecache/10"));
        writeProbeJar(filecache.resolve("probe.jar"));
    }

    @Test
    void firstContainerRecordsTheNextDumpsAndMapsEveryLaterOneMaps() throws Exception {
        Run first = launch(Role.TASKMANAGER, "filecache");
        assertThat(first.output).contains("probe ran").contains(MAIN + " source: file:");
        assertThat(archives()).isEmpty();

        Run second = launch(Role.TASKMANAGER, "filecache");
        assertThat(second.output)
                .contains("probe ran")
                .contains(MAIN + " source: shared objects file");
        assertThat(archives()).hasSize(1);

        Run third = launch(Role.TASKMANAGER, "filecache");
        assertThat(third.output).contains(MAIN + " source: shared objects file");

        // Another role has its own classes: it records first.
        Run jobManager = launch(Role.JOBMANAGER, "filecache");
        assertThat(jobManager.output).contains(MAIN + " source: file:");
        assertThat(archives()).hasSize(1);
    }

    @Test
    void aRunningRecordersListIsSharedOnceItHasSettled() throws Exception {
        launch(Role.TASKMANAGER, "filecache");
        // The list of a recorder that still runs (this JVM's pid), written just now: not yet.
        Path list = classList();
        Path running =
                list.resolveSibling(list.getFileName() + "." + ProcessHandle.current().pid());
        Files.move(list, running);
        assertThat(launch(Role.TASKMANAGER, "filecache").output).contains(MAIN + " source: file:");
        assertThat(archives()).isEmpty();

        // The same list, without a new class for longer than the recorder is given.
        Files.setLastModifiedTime(
                running,
                FileTime.fromMillis(
                        System.currentTimeMillis()
                                - TimeUnit.MINUTES.toMillis(
                                        ContainerClassDataSharing.SETTLED_MINUTES + 1)));
        assertThat(launch(Role.TASKMANAGER, "filecache").output)
                .contains(MAIN + " source: shared objects file");
        assertThat(archives()).hasSize(1);
    }

    @Test
    void containersRunAsAnotherUserThanTheSubmitterShareNothing() throws Exception {
        user = "someone-else";
        launch(Role.TASKMANAGER, "filecache");
        Run second = launch(Role.TASKMANAGER, "filecache");
        assertThat(second.output).contains("probe ran").contains(MAIN + " source: file:");
        assertThat(cdsDir()).doesNotExist();
    }

    @Test
    void jvmsWithoutCompressedOopsAreLeftAlone() {
        String java = JavaStartCommand.JAVA;
        assertThat(ContainerClassDataSharing.compressedOops(java + "-Xmx3212836864 -cp a M"))
                .isTrue();
        assertThat(ContainerClassDataSharing.compressedOops(java + "-Xmx31g -cp a M")).isTrue();
        assertThat(ContainerClassDataSharing.compressedOops(java + "-Xmx32g -cp a M")).isFalse();
        assertThat(ContainerClassDataSharing.compressedOops(java + "-Xmx1g -Xmx40960m M"))
                .isFalse();
        assertThat(ContainerClassDataSharing.compressedOops(java + "-XX:+UseZGC -Xmx1g M"))
                .isFalse();
        assertThat(ContainerClassDataSharing.compressedOops(java + "-XX:-UseCompressedOops M"))
                .isFalse();
        String zgc = java + "-XX:+UseZGC -cp a Main";
        assertThat(apply(new Configuration(), zgc)).isEqualTo(zgc);
    }

    @Test
    void libLocalisedPerApplicationIsNeverArchived() throws Exception {
        launch(Role.TASKMANAGER, "appcache");
        Run second = launch(Role.TASKMANAGER, "appcache");
        assertThat(second.output).contains("probe ran").contains(MAIN + " source: file:");
        assertThat(cdsDir()).doesNotExist();
    }

    @Test
    void aContainerWithoutLocalUserDirsStartsAsWithout() throws Exception {
        Run run = launch(Role.TASKMANAGER, "filecache", false);
        assertThat(run.exitCode).isZero();
        assertThat(run.output).contains("probe ran");
    }

    @Test
    void aUsersOwnArchiveOrTheSwitchedOffOptionLeaveTheCommandAlone() {
        String own = JavaStartCommand.JAVA + "-XX:SharedArchiveFile=/x.jsa -cp a Main";
        assertThat(apply(new Configuration(), own)).isEqualTo(own);

        String plain = JavaStartCommand.JAVA + "-cp a Main";
        Configuration off = new Configuration();
        off.set(DriverResourceOptions.CLASS_DATA_SHARING, false);
        assertThat(apply(off, plain)).isEqualTo(plain);
        assertThat(apply(new Configuration(), plain))
                .startsWith(JavaStartCommand.JAVA + "$(")
                .endsWith(") -cp a Main")
                .doesNotContain("\"");
    }

    private static String apply(Configuration configuration, String command) {
        ContainerLaunchContext context = Records.newRecord(ContainerLaunchContext.class);
        context.setCommands(List.of(command));
        new ContainerClassDataSharing(configuration).apply(context, c -> Role.TASKMANAGER);
        return context.getCommands().get(0);
    }

    private Run launch(Role role, String cache) throws Exception {
        return launch(role, cache, true);
    }

    /** A container: its directory, lib/ linked to the cache, and YARN's launch script. */
    private Run launch(Role role, String cache, boolean withUserDirs) throws Exception {
        Path container = Files.createDirectories(root.resolve("container_" + ++containers));
        Path jar = filecache.resolve("probe.jar");
        if (cache.equals("appcache")) {
            Path appcache =
                    Files.createDirectories(userDir.resolve("appcache/application_1/filecache/1"));
            if (!Files.exists(appcache.resolve("probe.jar"))) {
                Files.copy(jar, appcache.resolve("probe.jar"));
            }
            jar = appcache.resolve("probe.jar");
        }
        Files.createDirectories(container.resolve("lib"));
        Files.createSymbolicLink(container.resolve("lib/probe.jar"), jar);
        Files.writeString(container.resolve("config.yaml"), "container: " + containers);
        Path conf = Files.createDirectories(container.resolve("conf"));
        Files.writeString(conf.resolve("core-site.xml"), "<configuration/>");

        String command =
                JavaStartCommand.JAVA
                        + "-Xlog:class+load=info -cp :lib/probe.jar:config.yaml:conf "
                        + MAIN;
        ContainerLaunchContext context = Records.newRecord(ContainerLaunchContext.class);
        context.setCommands(List.of(command));
        new ContainerClassDataSharing(new Configuration()).apply(context, c -> role);

        // As Hadoop 3.4.1's launch_container.sh: strict options, the environment, the command
        // with its redirects.
        List<String> script = new ArrayList<>();
        script.add("set -o pipefail -e");
        script.add("export JAVA_HOME=" + System.getProperty("java.home"));
        script.add("export CLASSPATH=:lib/probe.jar:config.yaml:conf");
        script.add("export USER=" + user);
        if (withUserDirs) {
            script.add("export LOCAL_USER_DIRS=" + userDir + "/");
        }
        script.add(
                "exec /bin/bash -c \""
                        + context.getCommands().get(0)
                        + " 1> "
                        + container.resolve("out")
                        + " 2> "
                        + container.resolve("err")
                        + "\"");
        Files.write(container.resolve("launch_container.sh"), script);

        Process process =
                new ProcessBuilder("bash", "launch_container.sh")
                        .directory(container.toFile())
                        .redirectErrorStream(true)
                        .start();
        String launch = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(launch).as("what the launch script printed itself").isEmpty();
        return new Run(
                process.exitValue(),
                Files.readString(container.resolve("out"))
                        + Files.readString(container.resolve("err")));
    }

    private Path cdsDir() {
        return userDir.resolve("flink-driver-cds");
    }

    /** The one class list the first container recorded (its recorder has ended). */
    private Path classList() throws IOException {
        try (Stream<Path> files = Files.list(cdsDir())) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.classlist\\.\\d+"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private List<Path> archives() throws IOException {
        if (!Files.isDirectory(cdsDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cdsDir())) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    private static void writeProbeJar(Path jar) throws IOException {
        String entry = MAIN.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out);
                InputStream probe =
                        ContainerClassDataSharingTest.class.getResourceAsStream("/" + entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            probe.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }

    private record Run(int exitCode, String output) {}
}
