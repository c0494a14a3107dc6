package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code localyarn://localhost/path}: this machine's local file system, declared as shared by every
 * node of the local YARN, which is true because it has one host.
 *
 * <p>Why: Flink's {@code yarn.provided.lib.dirs} lets YARN localise Flink's lib/ once (PUBLIC
 * visibility, cached by the NodeManager across applications) instead of uploading and localising it
 * for every application, but refuses {@code file://} as "local". On a real cluster that directory
 * is on HDFS; the local YARN gets the same caching without running HDFS.
 *
 * <p>Permissions are read and set with Java's own file attributes: without Hadoop's native library
 * {@link RawLocalFileSystem} forks {@code ls -ld} for every file it lists and {@code chmod} for
 * every file it creates, about 70 processes for each application the client deploys (lib/ is
 * listed) and more in the NodeManager that localises it.
 */
public class LocalYarnFileSystem extends RawLocalFileSystem {

    public static final String SCHEME = "localyarn";

    private static final URI NO_AUTHORITY = URI.create(SCHEME + ":///");

    // Read by RawLocalFileSystem's constructor, before this class's fields are set.
    private volatile URI uri;

    /** Reads file metadata: without native IO, Hadoop reads permissions via file: URIs only. */
    private final RawLocalFileSystem files = new RawLocalFileSystem();

    /** Keeps the authority: Flink refuses file system URIs without one ({@code localhost}). */
    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        files.initialize(URI.create("file:///"), conf);
        String authority = name.getAuthority() == null ? "" : name.getAuthority();
        uri = URI.create(SCHEME + "://" + authority + "/");
        setWorkingDirectory(makeQualified(new Path(System.getProperty("user.dir"))));
    }

    @Override
    public URI getUri() {
        return uri != null ? uri : NO_AUTHORITY;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return toThisFileSystem(files.getFileStatus(toFile(f)));
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
        return toThisFileSystem(files.getFileLinkStatus(toFile(f)));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] statuses = files.listStatus(toFile(f));
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = toThisFileSystem(statuses[i]);
        }
        return statuses;
    }

    private Path toFile(Path p) {
        return new Path("file", null, makeQualified(p).toUri().getPath());
    }

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        if (permission.getStickyBit()) {
            super.setPermission(p, permission); // which Java's POSIX permissions cannot set
            return;
        }
        try {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
        } catch (UnsupportedOperationException e) {
            super.setPermission(p, permission);
        }
    }

    private FileStatus toThisFileSystem(FileStatus s) throws IOException {
        Map<String, Object> unix = unixAttributes(s);
        return new FileStatus(
                s.getLen(),
                s.isDirectory(),
                s.getReplication(),
                s.getBlockSize(),
                s.getModificationTime(),
                s.getAccessTime(),
                unix != null
                        ? new FsPermission((short) ((Integer) unix.get("mode") & 01777))
                        : s.getPermission(),
                unix != null ? ((UserPrincipal) unix.get("owner")).getName() : s.getOwner(),
                unix != null ? ((UserPrincipal) unix.get("group")).getName() : s.getGroup(),
                s.isSymlink() ? s.getSymlink() : null,
                makeQualified(new Path(s.getPath().toUri().getPath())));
    }

    /**
     * The file's mode, owner and group (a dangling symbolic link's own), or null where Java has no
     * "unix" attribute view: then Hadoop's way.
     */
    private static Map<String, Object> unixAttributes(FileStatus s) throws IOException {
        java.nio.file.Path file = Paths.get(s.getPath().toUri());
        try {
            return Files.readAttributes(file, "unix:mode,owner,group");
        } catch (NoSuchFileException e) {
            return Files.readAttributes(file, "unix:mode,owner,group", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Set<PosixFilePermission> posix(short mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        // PosixFilePermission lists owner, group, others, each read, write, execute: 0400 first.
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                permissions.add(p);
            }
        }
        return permissions;
    }
}
