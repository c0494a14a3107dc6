package dev.flinkdriver.entrypoint;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.highavailability.ApplicationResultStoreOptions;
import org.apache.flink.runtime.highavailability.FileSystemApplicationResultStore;
import org.apache.flink.runtime.highavailability.FileSystemJobResultStore;
import org.apache.flink.runtime.highavailability.JobResultStoreOptions;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Removes the empty entries that a JobManager lost while writing them leaves in Flink's HA job and
 * application result stores.
 *
 * <p>When a job or an application ends, Flink's {@code FileSystemJobResultStore} and {@code
 * FileSystemApplicationResultStore} create its {@code <id>_DIRTY.json} in place. A JobManager
 * killed during those milliseconds leaves the file empty, and every later JobManager then stops at
 * its start ({@code Could not retrieve JobResults of globally-terminated jobs ... No content to map
 * due to end-of-input}) until YARN's attempts are spent: one unlucky SIGKILL ends the application.
 * Without the entry the job's plan, which Flink removes from HA storage only after the entry was
 * written, is recovered and the job runs again: the cost of the write that never finished, instead
 * of the application.
 *
 * <p>Only entries that have been empty since before this JobManager started are removed: a write
 * takes milliseconds, so such an entry has no writer left.
 */
public final class AbandonedResultEntries {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedResultEntries.class);

    /** Logged for each entry removed; JobManagerFailoverIT reads it. */
    public static final String REMOVED =
            "Removed {}: an empty entry of HA's {} result store that a JobManager lost while"
                    + " writing it left; without it Flink would stop at start. Its {} is"
                    + " recovered from HA's plans if they still hold it, and then runs again.";

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
                        startedAt));
        removed.addAll(
                removeIn(
                        applicationResultStore(configuration),
                        FileSystemApplicationResultStore
                                ::hasValidDirtyApplicationResultStoreEntryExtension,
                        "application",
                        startedAt));
        return removed;
    }

    /** Where Flink's {@code FileSystemJobResultStore#fromConfiguration} keeps its entries. */
    static Path jobResultStore(Configuration configuration) {
        final String configured = configuration.get(JobResultStoreOptions.STORAGE_PATH);
        return new Path(
                configured == null || configured.isBlank()
                        ? FileSystemJobResultStore.createDefaultJobResultStorePath(
                                configuration.get(HighAvailabilityOptions.HA_STORAGE_PATH),
                                configuration.get(HighAvailabilityOptions.HA_CLUSTER_ID))
                        : configured);
    }

    /** Where Flink's {@code FileSystemApplicationResultStore#fromConfiguration} keeps them. */
    static Path applicationResultStore(Configuration configuration) {
        final String configured = configuration.get(ApplicationResultStoreOptions.STORAGE_PATH);
        return new Path(
                configured == null || configured.isBlank()
                        ? FileSystemApplicationResultStore.createDefaultApplicationResultStorePath(
                                configuration.get(HighAvailabilityOptions.HA_STORAGE_PATH),
                                configuration.get(HighAvailabilityOptions.HA_CLUSTER_ID))
                        : configured);
    }

    private static List<Path> removeIn(
            Path store, Predicate<String> isDirtyEntry, String kind, long startedAt) {
        final List<Path> removed = new ArrayList<>();
        try {
            final FileSystem fileSystem = store.getFileSystem();
            // A first attempt has no store yet (HDFS throws where a local file system says null).
            final FileStatus[] entries =
                    fileSystem.exists(store) ? fileSystem.listStatus(store) : null;
            if (entries == null) {
                return removed;
            }
            for (FileStatus entry : entries) {
                if (!entry.isDir()
                        && isDirtyEntry.test(entry.getPath().getName())
                        && entry.getLen() == 0
                        && entry.getModificationTime() < startedAt
                        && fileSystem.delete(entry.getPath(), false)) {
                    LOG.warn(REMOVED, entry.getPath(), kind, kind);
                    removed.add(entry.getPath());
                }
            }
        } catch (IOException e) {
            // Flink reads the store next and reports what is wrong with it.
            LOG.warn("Could not look for abandoned entries in {}.", store, e);
        }
        return removed;
    }
}
