package dev.flinkdriver.client;

import dev.flinkdriver.entrypoint.DriverApplicationIds;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.history.ArchivePathUtils;
import org.apache.flink.runtime.history.FsJsonArchivist;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.runtime.messages.webmonitor.MultipleJobsDetails;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;
import org.apache.flink.runtime.rest.util.RestMapperUtils;
import org.apache.flink.runtime.webmonitor.history.ArchivedJson;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An ended driver application as its JobManager archived it for Flink's HistoryServer ({@code
 * jobmanager.archive.fs.dir}): in Flink 2.3, {@code <dir>/<cluster.id>/applications/<application
 * id>/} holds one archive per job ({@code jobs/<job id>}) and the application's ({@code
 * application-summary}), each a list of REST paths with the JSON the JobManager answered for them.
 * The client reads the same JSON, through the same response classes, as it reads from a running
 * JobManager.
 */
final class DriverArchive {

    private static final Logger LOG = LoggerFactory.getLogger(DriverArchive.class);

    private static final ObjectMapper JSON = RestMapperUtils.getStrictObjectMapper();

    private final Path dir;

    /** Per job: REST path → JSON. Each job's archive has a {@code /jobs/overview} of its own. */
    private final List<Map<String, String>> jobArchives;

    private final boolean applicationArchived;

    private DriverArchive(
            Path dir, List<Map<String, String>> jobArchives, boolean applicationArchived) {
        this.dir = dir;
        this.jobArchives = jobArchives;
        this.applicationArchived = applicationArchived;
    }

    /** The archive of this application in any of these directories; empty if none holds it. */
    static Optional<DriverArchive> find(List<String> archiveDirs, ApplicationId application) {
        ApplicationID flinkId = DriverApplicationIds.of(application);
        for (String archiveDir : archiveDirs) {
            try {
                Path root = new Path(archiveDir);
                FileSystem fs = root.getFileSystem();
                if (!fs.exists(root)) {
                    continue;
                }
                // One directory per cluster.id (Flink's default for every cluster: zeros).
                for (FileStatus cluster : fs.listStatus(root)) {
                    Path appDir =
                            new Path(
                                    new Path(cluster.getPath(), ArchivePathUtils.APPLICATIONS_DIR),
                                    flinkId.toHexString());
                    if (fs.exists(appDir)) {
                        return Optional.of(read(fs, appDir));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Cannot read the archive directory {}", archiveDir, e);
            }
        }
        return Optional.empty();
    }

    private static DriverArchive read(FileSystem fs, Path appDir) throws IOException {
        List<Map<String, String>> jobArchives = new ArrayList<>();
        Path jobsDir = new Path(appDir, ArchivePathUtils.JOBS_DIR);
        if (fs.exists(jobsDir)) {
            for (FileStatus job : fs.listStatus(jobsDir)) {
                Map<String, String> jsons = new HashMap<>();
                for (ArchivedJson json : FsJsonArchivist.readArchivedJsons(job.getPath())) {
                    jsons.put(json.getPath(), json.getJson());
                }
                jobArchives.add(jsons);
            }
        }
        boolean summary = fs.exists(new Path(appDir, ArchivePathUtils.APPLICATION_ARCHIVE_NAME));
        return new DriverArchive(appDir, jobArchives, summary);
    }

    /** Where the archive lies. */
    Path dir() {
        return dir;
    }

    /**
     * Whether the application's own archive is there: Flink writes it after every job's, just
     * before the JobManager shuts down.
     */
    boolean isComplete() {
        return applicationArchived;
    }

    /** Every archived job, as the JobManager's {@code /jobs/overview} listed it at its end. */
    List<JobDetails> jobs() throws IOException {
        List<JobDetails> jobs = new ArrayList<>();
        String overviewPath = JobsOverviewHeaders.getInstance().getTargetRestEndpointURL();
        for (Map<String, String> archive : jobArchives) {
            String overview = archive.get(overviewPath);
            if (overview != null) {
                jobs.addAll(JSON.readValue(overview, MultipleJobsDetails.class).getJobs());
            }
        }
        return jobs;
    }

    /** The driver job's exception history, as {@code /jobs/<id>/exceptions} answered. */
    Optional<DriverAttempt> driverAttempt(JobID driverJob, boolean failed) throws IOException {
        String json = json("/jobs/" + driverJob + "/exceptions");
        if (json == null) {
            return Optional.empty();
        }
        JobExceptionsInfoWithHistory exceptions =
                JSON.readValue(json, JobExceptionsInfoWithHistory.class);
        return Optional.of(
                DriverAttempt.fromHistory(exceptions.getExceptionHistory().getEntries(), failed));
    }

    /** {@code /jobs/<id>/checkpoints}, archived for jobs with checkpointing. */
    Optional<JsonNode> checkpoints(JobID job) throws IOException {
        String json = json("/jobs/" + job + "/checkpoints");
        return json == null ? Optional.empty() : Optional.of(JSON.readTree(json));
    }

    /** {@code /jobs/<id>/vertices/<vertex>/taskmanagers} of the job's (first) vertex. */
    Optional<JsonNode> taskManagers(JobID job) throws IOException {
        String prefix = "/jobs/" + job + "/vertices/";
        for (Map<String, String> archive : jobArchives) {
            for (Map.Entry<String, String> e : archive.entrySet()) {
                if (e.getKey().startsWith(prefix) && e.getKey().endsWith("/taskmanagers")) {
                    return Optional.of(JSON.readTree(e.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Every archived attempt of the job's first task ({@code
     * /jobs/<id>/vertices/<vertex>/subtasks/0/attempts/<n>}), in no particular order.
     */
    List<JsonNode> taskAttempts(JobID job) throws IOException {
        Pattern path =
                Pattern.compile(
                        Pattern.quote("/jobs/" + job + "/vertices/")
                                + "[^/]+/subtasks/0/attempts/\\d+");
        List<JsonNode> attempts = new ArrayList<>();
        for (Map<String, String> archive : jobArchives) {
            for (Map.Entry<String, String> e : archive.entrySet()) {
                if (path.matcher(e.getKey()).matches()) {
                    attempts.add(JSON.readTree(e.getValue()));
                }
            }
        }
        return attempts;
    }

    @Nullable
    private String json(String restPath) {
        for (Map<String, String> archive : jobArchives) {
            String json = archive.get(restPath);
            if (json != null) {
                return json;
            }
        }
        return null;
    }
}
