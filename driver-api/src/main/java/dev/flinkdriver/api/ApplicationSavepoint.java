package dev.flinkdriver.api;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * An application savepoint: one directory holding a Flink savepoint per job of a driver
 * application, and a manifest ({@value #MANIFEST}) that maps each job's position among the jobs
 * main() submitted, and its name, to its savepoint. {@code flink-driver run -D -s <directory>}
 * restores the n-th job main() submits from the savepoint recorded for position n.
 *
 * <p>A job's savepoint inside the directory is recorded relative to it, so that the whole directory
 * can be moved or copied, as a Flink savepoint can. The manifest is JSON; {@link #FORMAT_VERSION}
 * changes whenever a reader of an older version would misread it.
 */
public final class ApplicationSavepoint {

    /** The manifest's file name inside the application savepoint directory. */
    public static final String MANIFEST = "application-savepoint.json";

    /** The {@code format} field: tells a manifest from any other JSON file. */
    public static final String FORMAT = "flink-driver application savepoint";

    /** The version of the manifest's format that this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One job's savepoint.
     *
     * @param position the job's position among the jobs main() submitted, 1 for the first
     * @param name the job's name as main() gave it
     * @param jobId the Flink job id the savepoint was taken of
     * @param savepoint the savepoint's directory: relative to the application savepoint directory,
     *     or absolute
     */
    public record Job(int position, String name, String jobId, String savepoint) {
        public Job {
            checkArgument(position > 0, "Positions start at 1: %s", position);
            checkNotNull(name);
            checkNotNull(jobId);
            checkNotNull(savepoint);
        }
    }

    private final String applicationId;
    private final String applicationName;
    private final Instant time;
    private final String flinkVersion;
    private final boolean stopped;
    private final List<Job> jobs;

    /**
     * @param applicationId the application's id (the YARN application id of a driver application on
     *     YARN)
     * @param stopped the jobs were stopped with their savepoints (flink-driver stop)
     */
    public ApplicationSavepoint(
            String applicationId,
            String applicationName,
            Instant time,
            String flinkVersion,
            boolean stopped,
            List<Job> jobs) {
        this.applicationId = checkNotNull(applicationId);
        this.applicationName = checkNotNull(applicationName);
        this.time = checkNotNull(time);
        this.flinkVersion = checkNotNull(flinkVersion);
        this.stopped = stopped;
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingInt(Job::position));
        for (int i = 1; i < sorted.size(); i++) {
            checkArgument(
                    sorted.get(i).position() != sorted.get(i - 1).position(),
                    "Two savepoints for position %s",
                    sorted.get(i).position());
        }
        this.jobs = List.copyOf(sorted);
    }

    public String applicationId() {
        return applicationId;
    }

    public String applicationName() {
        return applicationName;
    }

    public Instant time() {
        return time;
    }

    public String flinkVersion() {
        return flinkVersion;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Sorted by position. */
    public List<Job> jobs() {
        return jobs;
    }

    public Optional<Job> job(int position) {
        return jobs.stream().filter(j -> j.position() == position).findFirst();
    }

    /** The savepoint of a job of this application savepoint, found in {@code directory}. */
    public static Path resolve(Path directory, Job job) {
        Path recorded = new Path(job.savepoint());
        return recorded.isAbsolute() || recorded.toUri().getScheme() != null
                ? recorded
                : new Path(directory, job.savepoint());
    }

    /**
     * How a job's savepoint is recorded: relative to the application savepoint's directory when it
     * lies directly in it, absolute otherwise.
     */
    public static String recordedPath(Path directory, String savepoint) {
        Path p = new Path(savepoint);
        Path parent = p.getParent();
        if (parent != null && sameDirectory(parent, directory)) {
            return p.getName();
        }
        return savepoint;
    }

    private static boolean sameDirectory(Path a, Path b) {
        return a.toUri()
                .getPath()
                .replaceAll("/+$", "")
                .equals(b.toUri().getPath().replaceAll("/+$", ""));
    }

    // ------------------------------------------------------------------------
    //  JSON
    // ------------------------------------------------------------------------

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("applicationId", applicationId);
        root.put("applicationName", applicationName);
        root.put("time", time.toString());
        root.put("flinkVersion", flinkVersion);
        root.put("stopped", stopped);
        ArrayNode array = root.putArray("jobs");
        for (Job job : jobs) {
            ObjectNode n = array.addObject();
            n.put("position", job.position());
            n.put("name", job.name());
            n.put("jobId", job.jobId());
            n.put("savepoint", job.savepoint());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @param where names the manifest in error messages
     * @throws InvalidManifestException if it is no manifest, or one of another format version
     */
    public static ApplicationSavepoint parse(String json, String where)
            throws InvalidManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(where + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format"))) {
            throw new InvalidManifestException(
                    where + " is not a manifest of an application savepoint");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
            throw new InvalidManifestException(
                    where
                            + " has format version "
                            + (version == null ? "(none)" : version.toString())
                            + "; this flink-driver reads version "
                            + FORMAT_VERSION);
        }
        try {
            List<Job> jobs = new ArrayList<>();
            JsonNode array = root.get("jobs");
            if (array == null || !array.isArray()) {
                throw new InvalidManifestException(where + " has no list of jobs");
            }
            for (JsonNode n : array) {
                jobs.add(
                        new Job(
                                required(n, "position", where).asInt(),
                                requiredText(n, "name", where),
                                requiredText(n, "jobId", where),
                                requiredText(n, "savepoint", where)));
            }
            return new ApplicationSavepoint(
                    requiredText(root, "applicationId", where),
                    requiredText(root, "applicationName", where),
                    Instant.parse(requiredText(root, "time", where)),
                    requiredText(root, "flinkVersion", where),
                    root.path("stopped").asBoolean(false),
                    jobs);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidManifestException(where + " is invalid: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode node, String field, String where)
            throws InvalidManifestException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidManifestException(where + " lacks the field '" + field + "'");
        }
        return value;
    }

    private static String requiredText(JsonNode node, String field, String where)
            throws InvalidManifestException {
        return required(node, field, where).asText();
    }

    /** The field's text; null when it is missing. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null ? null : value.asText();
    }

    // ------------------------------------------------------------------------
    //  Files
    // ------------------------------------------------------------------------

    /**
     * The directory of the application savepoint at {@code path}: the directory itself when it
     * holds a manifest, or the manifest's directory when {@code path} is the manifest; empty for
     * anything else (a Flink savepoint of one job).
     */
    public static Optional<Path> directoryOf(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        FileStatus status = fs.getFileStatus(path);
        if (status.isDir()) {
            return fs.exists(new Path(path, MANIFEST)) ? Optional.of(path) : Optional.empty();
        }
        return path.getName().equals(MANIFEST)
                ? Optional.ofNullable(path.getParent())
                : Optional.empty();
    }

    /** Reads the manifest of the application savepoint in {@code directory}. */
    public static ApplicationSavepoint read(Path directory)
            throws IOException, InvalidManifestException {
        Path manifest = new Path(directory, MANIFEST);
        try (FSDataInputStream in = manifest.getFileSystem().open(manifest)) {
            return parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), manifest.toString());
        }
    }

    /** Writes the manifest into {@code directory}; an existing manifest is not overwritten. */
    public void write(Path directory) throws IOException {
        Path manifest = new Path(directory, MANIFEST);
        try (FSDataOutputStream out =
                manifest.getFileSystem().create(manifest, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(toJson().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A file that is not a manifest this code can read. */
    public static final class InvalidManifestException extends Exception {
        public InvalidManifestException(String message) {
            super(message);
        }
    }
}
