package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LocalYarnFileSystem} reads and sets permissions with Java's file attributes instead of
 * forking {@code ls} and {@code chmod}: the statuses must be what Hadoop's own local file system
 * reports (YARN decides from them whether a file may be cached for every application).
 */
class LocalYarnFileSystemTest {

    @TempDir Path dir;

    private LocalYarnFileSystem fs;
    private RawLocalFileSystem hadoops;

    @BeforeEach
    void open() throws Exception {
        fs = new LocalYarnFileSystem();
        fs.initialize(URI.create("localyarn://localhost/"), new Configuration());
        hadoops = new RawLocalFileSystem();
        hadoops.initialize(URI.create("file:///"), new Configuration());
    }

    @AfterEach
    void close() throws Exception {
        fs.close();
        hadoops.close();
    }

    @Test
    void listsPermissionsOwnerAndGroupAsHadoopDoes() throws Exception {
        file("public.jar", "rw-r--r--");
        file("private.jar", "rw-------");
        file("script.sh", "rwxr-x---");
        Files.setPosixFilePermissions(
                Files.createDirectory(dir.resolve("sub")),
                PosixFilePermissions.fromString("rwx--x--x"));

        Map<String, String> ours = describe(fs.listStatus(path(dir)));
        Map<String, String> hadoop = describe(hadoops.listStatus(filePath(dir)));

        assertThat(ours).hasSize(4).isEqualTo(hadoop);
        assertThat(ours.get("private.jar")).startsWith("rw-------");
        assertThat(fs.getFileStatus(path(dir.resolve("script.sh"))).getPermission())
                .isEqualTo(FsPermission.valueOf("-rwxr-x---"));
        assertThat(fs.getFileStatus(path(dir.resolve("script.sh"))).getPath().toUri().getScheme())
                .isEqualTo(LocalYarnFileSystem.SCHEME);
    }

    @Test
    void setsPermissions() throws Exception {
        Path f = file("staged.zip", "rw-r--r--");

        fs.setPermission(path(f), new FsPermission((short) 0640));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void createsFilesAndDirectoriesWithTheirPermission() throws Exception {
        org.apache.hadoop.fs.Path staging = path(dir.resolve("staging"));
        assertThat(fs.mkdirs(staging, new FsPermission((short) 0700))).isTrue();
        try (FSDataOutputStream out =
                fs.create(
                        new org.apache.hadoop.fs.Path(staging, "config.yaml"),
                        new FsPermission((short) 0644),
                        false,
                        4096,
                        (short) 1,
                        1024 * 1024,
                        null)) {
            out.writeBytes("a: b\n");
        }

        assertThat(
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve("staging"))))
                .isEqualTo("rwx------");
        assertThat(
                        fs.getFileStatus(new org.apache.hadoop.fs.Path(staging, "config.yaml"))
                                .getPermission())
                .isEqualTo(
                        hadoops.getFileStatus(filePath(dir.resolve("staging/config.yaml")))
                                .getPermission());
    }

    private Path file(String name, String permissions) throws Exception {
        Path f = Files.writeString(dir.resolve(name), name);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(permissions));
        return f;
    }

    private static Map<String, String> describe(FileStatus[] statuses) {
        Map<String, String> m = new TreeMap<>();
        Arrays.stream(statuses)
                .forEach(
                        s ->
                                m.put(
                                        s.getPath().getName(),
                                        s.getPermission()
                                                + " "
                                                + s.getOwner()
                                                + " "
                                                + s.getGroup()
                                                + " "
                                                + s.isDirectory()
                                                + " "
                                                + s.getLen()));
        return m;
    }

    private static org.apache.hadoop.fs.Path path(Path p) {
        return new org.apache.hadoop.fs.Path(LocalYarnSite.uri(p));
    }

    private static org.apache.hadoop.fs.Path filePath(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }
}
