package dev.flinkdriver.entrypoint;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.highavailability.ApplicationResultStoreOptions;
import org.apache.flink.runtime.highavailability.FileSystemApplicationResultStore;
import org.apache.flink.runtime.highavailability.FileSystemJobResultStore;
import org.apache.flink.runtime.highavailability.JobResultStoreOptions;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * Removes the entries that a JobManager lost while writing them leaves, empty or cut off, in
 * Flink's HA job and application result stores.
 *
 * <p>When a job or an application ends, Flink's {@code FileSystemJobResultStore} and {@code
 * FileSystemApplicationResultStore} create its {@code <id>_DIRTY.json} in place. A JobManager
 * killed during those milliseconds leaves the file empty or cut off, and every later JobManager
 * then stops at its start ({@code Could not retrieve JobResults of globally-terminated jobs ... No
 * content to map due to end-of-input}) until YARN's attempts are spent: one unlucky SIGKILL ends
 * the application. Without a job's entry its plan, which Flink removes from HA storage only after
 * the entry was written, is recovered and the job runs again: the cost of the write that never
 * finished, instead of the application's. Without an application's entry the application is
 * recovered from its jobs' entries, which Flink keeps until the application's is written.
 *
 * <p>An entry counts as abandoned when it does not read as JSON (read, not by its length: HDFS
 * reports 0 bytes for a file whose writer died before closing it, however much it wrote) and was
 * last modified before this JobManager started: a write takes milliseconds, so such an entry has no
 * writer left.
 */
public final class AbandonedResultEntries {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedResultEntries.class);

    /** Logged for each entry removed; JobManagerFailoverIT reads it. */
    public static final String REMOVED =
            "Removed {}, an entry of HA's {} result store that a JobManager lost while writing it"
                    + " left unreadable and on which Flink would stop at start: {}.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AbandonedResultEntries() {}

    /**
     * Removes the abandoned entries of both result stores of {@code configuration}'s HA storage.
     *
     * @param startedAt when this JobManager's process started, in epoch milliseconds
     * @return the entries removed
     */
    static List<Path> remove(Configuration configuration, long startedAt) {
        if (!HighAvailabilityMode.isHighAvailabilityModeActivated(configuration)) {
            return List.of();
        }
        final List<Path> removed = new ArrayList<>();
        removed.addAll(
                removeIn(
                        jobResultStore(configuration),
                        FileSystemJobResultStore::hasValidDirtyJobResultStoreEntryExtension,
                        "job",
                        "its job is recovered from its plan in HA storage and runs again",
                        startedAt));
        removed.addAll(
                removeIn(
                        applicationResultStore(configuration),
                        FileSystemApplicationResultStore
                                ::hasValidDirtyApplicationResultStoreEntryExtension,
                        "application",
                        "the application is recovered from its jobs' results",
                        startedAt));
        return removed;
    }

    /** Where Flink's {@code FileSystemJobResultStore#fromConfiguration} keeps its entries. */
    static Path jobResultStore(Configuration configuration) {
        return store(
                configuration,
                JobResultStoreOptions.STORAGE_PATH,
                FileSystemJobResultStore::createDefaultJobResultStorePath);
    }

    /** Where Flink's {@code FileSystemApplicationResultStore#fromConfiguration} keeps them. */
    static Path applicationResultStore(Configuration configuration) {
        return store(
                configuration,
                ApplicationResultStoreOptions.STORAGE_PATH,
                FileSystemApplicationResultStore::createDefaultApplicationResultStorePath);
    }

    /** The configured path, or the one Flink derives from HA's storage and cluster id. */
    private static Path store(
            Configuration configuration,
            ConfigOption<String> storagePath,
            BinaryOperator<String> defaultPath) {
        final String configured = configuration.get(storagePath);
        return new Path(
                configured == null || configured.isBlank()
                        ? defaultPath.apply(
                                configuration.get(HighAvailabilityOptions.HA_STORAGE_PATH),
                                configuration.get(HighAvailabilityOptions.HA_CLUSTER_ID))
                        : configured);
    }

    private static List<Path> removeIn(
            Path store,
            Predicate<String> isDirtyEntry,
            String kind,
            String consequence,
            long startedAt) {
        final List<Path> removed = new ArrayList<>();
        final FileStatus[] entries;
        final FileSystem fileSystem;
        try {
            fileSystem = store.getFileSystem();
            // A first attempt has no store yet (HDFS throws where a local file system says null).
            entries = fileSystem.exists(store) ? fileSystem.listStatus(store) : null;
        } catch (IOException e) {
            // Flink reads the store next and reports what is wrong with it.
            LOG.warn("Could not look for abandoned entries in {}.", store, e);
            return removed;
        }
        if (entries == null) {
            return removed;
        }
        for (FileStatus entry : entries) {
            final Path path = entry.getPath();
            if (entry.isDir()
                    || !isDirtyEntry.test(path.getName())
                    || entry.getModificationTime() >= startedAt) {
                continue;
            }
            try {
                if (!readsAsJson(fileSystem, path) && fileSystem.delete(path, false)) {
                    LOG.warn(REMOVED, path, kind, consequence);
                    removed.add(path);
                }
            } catch (IOException e) {
                LOG.warn("Could not check {} for an abandoned write.", path, e);
            }
        }
        return removed;
    }

    private static boolean readsAsJson(FileSystem fileSystem, Path entry) throws IOException {
        try (FSDataInputStream in = fileSystem.open(entry)) {
            final JsonNode json = JSON.readTree(in);
            return json != null && !json.isMissingNode();
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
