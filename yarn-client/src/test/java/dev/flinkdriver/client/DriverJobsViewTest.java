package dev.flinkdriver.client;

import dev.flinkdriver.api.LivingPriority;
import dev.flinkdriver.entrypoint.DriverApplicationIds;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DriverJobsViewTest {

    private static final ApplicationId APP = ApplicationId.newInstance(1764460000000L, 7);

    @Test
    void theDriverJobIsKnownByItsIdWhateverItsName() {
        JobID driver = DriverApplicationIds.driverJobOf(APP);
        List<DriverJobsView.Job> jobs =
                DriverJobsView.of(
                        APP,
                        List.of(
                                job(new JobID(), "renamed: [daemon] metrics", 3),
                                job(new JobID(), "renamed: wordcount", 2),
                                job(driver, "a name unlike the application's", 1),
                                job(new JobID(), "Flink Driver: com.acme.Main", 4)));

        assertThat(jobs)
                .extracting(DriverJobsView.Job::priority)
                .containsExactly(
                        LivingPriority.DRIVER,
                        LivingPriority.NORMAL,
                        LivingPriority.DAEMON,
                        LivingPriority.NORMAL);
        assertThat(jobs.get(0).id()).isEqualTo(driver);
    }

    /** What Flink's {@code /jobs/<id>/checkpoints} answers for a job that restored. */
    @Test
    void theSavepointAJobRestoredFromComesFromItsCheckpointStatistics() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode restored =
                json.readTree(
                        "{\"latest\": {\"completed\": null, \"restored\": {\"id\": 3,"
                                + " \"restore_timestamp\": 1, \"is_savepoint\": true,"
                                + " \"external_path\": \"file:/sp/app-1/savepoint-ab-12\"}}}");
        JsonNode fresh = json.readTree("{\"latest\": {\"completed\": null, \"restored\": null}}");

        assertThat(DriverJobsView.restoredFrom(restored))
                .hasValue("file:/sp/app-1/savepoint-ab-12");
        assertThat(DriverJobsView.restoredFrom(fresh)).isEmpty();
        DriverJobsView.Job job = DriverJobsView.of(APP, List.of(job(new JobID(), "a", 1))).get(0);
        assertThat(job.restoredFrom()).isNull();
        assertThat(job.withCheckpoints(Optional.of(restored)).restoredFrom())
                .isEqualTo("file:/sp/app-1/savepoint-ab-12");
        assertThat(job.withCheckpoints(Optional.empty()).restoredFrom()).isNull();
    }

    private static JobDetails job(JobID id, String name, long start) {
        return new JobDetails(
                id,
                name,
                start,
                -1,
                10,
                JobStatus.RUNNING,
                start,
                new int[ExecutionState.values().length],
                1);
    }
}
