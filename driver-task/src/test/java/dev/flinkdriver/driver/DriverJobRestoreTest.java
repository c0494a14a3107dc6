package dev.flinkdriver.driver;

import dev.flinkdriver.api.ApplicationSavepoint;
import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobMarkers;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which savepoint each job main() submits restores from, through the driver's decorator. */
class DriverJobRestoreTest {

    @TempDir java.nio.file.Path tmp;

    private final ApplicationID applicationId = new ApplicationID();

    private Path savepoint;

    private final Configuration driverJob = new Configuration();

    private final Configuration program = new Configuration();

    @BeforeEach
    void applicationSavepointOfTwoJobs() throws Exception {
        savepoint = new Path(tmp.toUri());
        new ApplicationSavepoint(
                        "app",
                        "app",
                        Instant.parse("2026-12-05T01:00:00Z"),
                        "2.3.0",
                        true,
                        List.of(
                                new ApplicationSavepoint.Job(1, "counter-a", "a", "savepoint-a"),
                                new ApplicationSavepoint.Job(
                                        2, "counter-b", "b", "file:/elsewhere/savepoint-b")))
                .write(savepoint);
        DriverJobMarkers.setApplicationSavepoint(driverJob, savepoint.toString());
    }

    @Test
    void eachJobRestoresFromTheSavepointOfItsPositionAndANewJobStartsEmpty() throws Exception {
        program.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        DriverJobDecorator decorator = decorator();

        StreamGraph a = submit(decorator, "counter-a");
        StreamGraph b = submit(decorator, "counter-b");
        StreamGraph c = submit(decorator, "counter-c");

        assertThat(a.getSavepointRestoreSettings())
                .isEqualTo(
                        SavepointRestoreSettings.forPath(
                                new Path(savepoint, "savepoint-a").toString(),
                                false,
                                RecoveryClaimMode.CLAIM));
        assertThat(b.getSavepointRestoreSettings().getRestorePath())
                .isEqualTo("file:/elsewhere/savepoint-b");
        assertThat(c.getSavepointRestoreSettings()).isEqualTo(SavepointRestoreSettings.none());
        assertThat(a.getJobName()).isEqualTo("app: counter-a");
        assertThat(a.getJobConfiguration().get(DriverInternalOptions.JOB_NAME))
                .as("the name main() gave it, which the next application savepoint records")
                .isEqualTo("counter-a");
    }

    @Test
    void anotherNameAtARecordedPositionIsRefusedNamingBoth() throws Exception {
        DriverJobDecorator decorator = decorator();

        assertThatThrownBy(() -> submit(decorator, "counter-x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Job #1 is 'counter-x', but application savepoint ")
                .hasMessageContaining("recorded 'counter-a' at position 1")
                .hasMessageContaining("-n/--allowNonRestoredState");
    }

    @Test
    void withAllowNonRestoredStateAnotherNameRestoresWhatItCan() throws Exception {
        program.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);

        StreamGraph x = submit(decorator(), "counter-x");

        assertThat(x.getSavepointRestoreSettings().getRestorePath())
                .isEqualTo(new Path(savepoint, "savepoint-a").toString());
        assertThat(x.getSavepointRestoreSettings().allowNonRestoredState()).isTrue();
    }

    @Test
    void aFlinkSavepointOfOneJobRestoresTheFirstJobAndRefusesASecond() throws Exception {
        driverJob.removeConfig(DriverInternalOptions.APPLICATION_SAVEPOINT);
        program.set(StateRecoveryOptions.SAVEPOINT_PATH, "file:/sp/savepoint-1");
        DriverJobDecorator decorator = decorator();

        StreamGraph first = submit(decorator, "counter-a");

        assertThat(first.getSavepointRestoreSettings().getRestorePath())
                .isEqualTo("file:/sp/savepoint-1");
        assertThatThrownBy(() -> submit(decorator, "counter-b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("main() submitted a second job, 'counter-b'")
                .hasMessageContaining(
                        "restore an application of several jobs from an application"
                                + " savepoint");
    }

    @Test
    void withoutSavepointsNothingChanges() throws Exception {
        driverJob.removeConfig(DriverInternalOptions.APPLICATION_SAVEPOINT);
        DriverJobDecorator decorator = decorator();

        assertThat(submit(decorator, "a").getSavepointRestoreSettings())
                .isEqualTo(SavepointRestoreSettings.none());
        assertThat(submit(decorator, "b").getSavepointRestoreSettings())
                .isEqualTo(SavepointRestoreSettings.none());
    }

    private DriverJobDecorator decorator() throws Exception {
        return new DriverJobDecorator(
                "app: ", applicationId, 1, 1, 0, DriverJobRestore.of(program, driverJob));
    }

    /**
     * A job as main() submits it (its environment's configuration is main()'s), as Flink's
     * executors then submit it.
     */
    private StreamGraph submit(DriverJobDecorator decorator, String name) throws Exception {
        StreamGraph graph =
                new StreamGraph(
                        program,
                        new ExecutionConfig(),
                        new CheckpointConfig(),
                        SavepointRestoreSettings.fromConfiguration(program));
        graph.setJobName(name);
        decorator.decorate(graph);
        return PipelineExecutorUtils.getStreamGraph(
                graph, decorator.executorConfiguration(graph, program));
    }
}
