package dev.flinkdriver.entrypoint;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.runtime.highavailability.FileSystemJobResultStore;
import org.apache.flink.runtime.highavailability.JobResultEntry;
import org.apache.flink.runtime.highavailability.JobResultStore;
import org.apache.flink.runtime.jobmaster.JobResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs against Flink's own {@link FileSystemJobResultStore} on the local file system. */
class AbandonedResultEntriesTest {

    private static final long STARTED_AT = System.currentTimeMillis();

    @TempDir Path haStorage;

    @Test
    void entriesLeftEmptyOrCutOffNoLongerStopFlinksStart() throws Exception {
        Configuration configuration = ha();
        JobResultStore store =
                FileSystemJobResultStore.fromConfiguration(configuration, Runnable::run);
        JobResult ended = finished(new JobID());
        store.createDirtyResultAsync(new JobResultEntry(ended)).get();
        Path empty = entry(configuration, new JobID() + "_DIRTY.json", STARTED_AT - 60_000);
        Path cutOff = entry(configuration, new JobID() + "_DIRTY.json", STARTED_AT - 60_000);
        Files.writeString(cutOff, "{\"result\":{\"id\":\"");
        Files.setLastModifiedTime(cutOff, FileTime.fromMillis(STARTED_AT - 60_000));

        assertThatThrownBy(store::getDirtyResults)
                .as("Flink itself stops at such an entry (the hazard this repairs)")
                .isInstanceOf(IOException.class);

        // As if this JobManager had started after all three were written.
        assertThat(AbandonedResultEntries.remove(configuration, System.currentTimeMillis() + 1))
                .extracting(p -> p.getName())
                .containsExactlyInAnyOrder(
                        empty.getFileName().toString(), cutOff.getFileName().toString());
        assertThat(store.getDirtyResults())
                .as("the entry Flink wrote stays")
                .extracting(JobResult::getJobId)
                .containsExactly(ended.getJobId());
    }

    @Test
    void keepsEntriesThatMayStillBeWrittenAndThoseFlinkNeverReads() throws Exception {
        Configuration configuration = ha();
        Path beingWritten = entry(configuration, new JobID() + "_DIRTY.json", STARTED_AT + 10);
        Path clean = entry(configuration, new JobID() + ".json", STARTED_AT - 60_000);

        assertThat(AbandonedResultEntries.remove(configuration, STARTED_AT)).isEmpty();
        assertThat(beingWritten).exists();
        assertThat(clean).exists();
    }

    @Test
    void removesAbandonedApplicationResultsToo() throws Exception {
        Configuration configuration = ha();
        Path store = Path.of(AbandonedResultEntries.applicationResultStore(configuration).toUri());
        Files.createDirectories(store);
        Path abandoned = Files.createFile(store.resolve("0000000000000001_DIRTY.json"));
        Files.setLastModifiedTime(abandoned, FileTime.fromMillis(STARTED_AT - 60_000));

        assertThat(AbandonedResultEntries.remove(configuration, STARTED_AT)).hasSize(1);
        assertThat(abandoned).doesNotExist();
    }

    @Test
    void withoutHighAvailabilityOrAStoreThereIsNothingToRemove() {
        assertThat(AbandonedResultEntries.remove(new Configuration(), STARTED_AT)).isEmpty();
        assertThat(AbandonedResultEntries.remove(ha(), STARTED_AT)).isEmpty();
    }

    private Configuration ha() {
        Configuration configuration = new Configuration();
        configuration.set(HighAvailabilityOptions.HA_MODE, "zookeeper");
        configuration.set(HighAvailabilityOptions.HA_STORAGE_PATH, haStorage.toUri().toString());
        configuration.set(HighAvailabilityOptions.HA_CLUSTER_ID, "application_1_0001");
        return configuration;
    }

    private static Path entry(Configuration configuration, String name, long modifiedAt)
            throws Exception {
        Path store = Path.of(AbandonedResultEntries.jobResultStore(configuration).toUri());
        Files.createDirectories(store);
        Path entry = Files.createFile(store.resolve(name));
        Files.setLastModifiedTime(entry, FileTime.from(modifiedAt, TimeUnit.MILLISECONDS));
        return entry;
    }

    private static JobResult finished(JobID id) {
        return new JobResult.Builder()
                .jobId(id)
                .jobName("job")
                .jobStatus(JobStatus.FINISHED)
                .netRuntime(1)
                .build();
    }
}
