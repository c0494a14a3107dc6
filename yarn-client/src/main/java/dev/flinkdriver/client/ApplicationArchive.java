package dev.flinkdriver.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The application's jar and its {@code --libjars}, zipped for {@code yarn.ship-archives}.
 *
 * <p>Why a zip: Flink's session deployment does not ship {@code pipeline.jars}, and shipped files
 * land on every container's system class path. YARN unpacks an archive into the AM's working
 * directory without putting it on any class path, and the AM hands the jars to the driver job
 * through the blob server, so they reach the user class loader only.
 */
final class ApplicationArchive {

    static final String LINK_NAME = "flink-driver-app.zip";

    private final Path zip;
    private final String jarEntry;
    private final List<String> libJarEntries;

    private ApplicationArchive(Path zip, String jarEntry, List<String> libJarEntries) {
        this.zip = zip;
        this.jarEntry = jarEntry;
        this.libJarEntries = libJarEntries;
    }

    static ApplicationArchive create(Path workDir, Path jar, List<Path> libJars)
            throws IOException {
        return create(workDir, jar, libJars, Map.of());
    }

    /**
     * @param extra further files or directories (with their contents) by entry name, e.g. a Python
     *     program's files, unpacked with the jars in every container
     */
    static ApplicationArchive create(
            Path workDir, Path jar, List<Path> libJars, Map<String, Path> extra)
            throws IOException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "app-");
        Path zip = dir.resolve(LINK_NAME);
        List<String> libEntries = new ArrayList<>();
        String jarEntry = "app/" + jar.getFileName();
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream zos = new ZipOutputStream(out)) {
            add(zos, jarEntry, jar);
            for (Path lib : libJars) {
                String entry = "lib/" + lib.getFileName();
                add(zos, entry, lib);
                libEntries.add(entry);
            }
            for (Map.Entry<String, Path> e : extra.entrySet()) {
                addTree(zos, e.getKey(), e.getValue());
            }
        }
        return new ApplicationArchive(zip, jarEntry, libEntries);
    }

    Path zip() {
        return zip;
    }

    /** Where the ApplicationMaster finds the jar, relative to its working directory. */
    String jarInContainer() {
        return LINK_NAME + "/" + jarEntry;
    }

    /** The jar's directory in the containers' working directory: the jar is alone there. */
    String jarDirInContainer() {
        return LINK_NAME + "/app";
    }

    List<String> libJarsInContainer() {
        return libJarEntries.stream().map(e -> LINK_NAME + "/" + e).toList();
    }

    void delete() throws IOException {
        Files.deleteIfExists(zip);
        Files.deleteIfExists(zip.getParent());
    }

    private static void addTree(ZipOutputStream zos, String entry, Path fileOrDir)
            throws IOException {
        if (!Files.isDirectory(fileOrDir)) {
            add(zos, entry, fileOrDir);
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fileOrDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            add(zos, entry + "/" + fileOrDir.relativize(f).toString().replace('\\', '/'), f);
        }
    }

    private static void add(ZipOutputStream zos, String entry, Path file) throws IOException {
        ZipEntry zipEntry = new ZipEntry(entry);
        if (isCompressed(file)) {
            // Deflating a jar again gains nothing and costs the client seconds for large ones
            // (flink-python's 42 MB): stored as it is, with the size and CRC a stored entry needs.
            zipEntry.setMethod(ZipEntry.STORED);
            zipEntry.setSize(Files.size(file));
            zipEntry.setCrc(crc32(file));
        }
        zos.putNextEntry(zipEntry);
        Files.copy(file, zos);
        zos.closeEntry();
    }

    private static boolean isCompressed(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".jar") || name.endsWith(".zip") || name.endsWith(".whl");
    }

    private static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return crc.getValue();
    }
}
