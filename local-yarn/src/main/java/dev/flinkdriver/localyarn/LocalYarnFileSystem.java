package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.net.URI;

/**
 * {@code localyarn://localhost/path}: this machine's local file system, declared as shared by every
 * node of the local YARN, which is true because it has one host.
 *
 * <p>Why: Flink's {@code yarn.provided.lib.dirs} lets YARN localise Flink's lib/ once (PUBLIC
 * visibility, cached by the NodeManager across applications) instead of uploading and localising it
 * for every application, but refuses {@code file://} as "local". On a real cluster that directory
 * is on HDFS; the local YARN gets the same caching without running HDFS.
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

    private FileStatus toThisFileSystem(FileStatus s) throws IOException {
        return new FileStatus(
                s.getLen(),
                s.isDirectory(),
                s.getReplication(),
                s.getBlockSize(),
                s.getModificationTime(),
                s.getAccessTime(),
                s.getPermission(),
                s.getOwner(),
                s.getGroup(),
                s.isSymlink() ? s.getSymlink() : null,
                makeQualified(new Path(s.getPath().toUri().getPath())));
    }
}
