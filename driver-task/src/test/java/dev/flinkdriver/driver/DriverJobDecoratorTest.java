package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverInternalOptions;
import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class DriverJobDecoratorTest {

    private final ApplicationID applicationId = new ApplicationID();

    @Test
    void prefixesTheNameAndMarksTheStreamGraph() {
        Configuration environmentConfiguration = new Configuration();
        environmentConfiguration.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        StreamGraph streamGraph =
                new StreamGraph(
                        environmentConfiguration,
                        new ExecutionConfig(),
                        new CheckpointConfig(),
                        SavepointRestoreSettings.none());
        streamGraph.setJobName("WordCount");

        new DriverJobDecorator("nightly: ", applicationId).decorate(streamGraph);

        assertThat(streamGraph.getJobName())
                .as("a DAEMON job is marked in its name")
                .isEqualTo("nightly: [daemon] WordCount");
        assertThat(streamGraph.getJobConfiguration().get(DriverInternalOptions.APPLICATION_ID))
                .isEqualTo(applicationId.toHexString());
        assertThat(streamGraph.getApplicationId())
                .as("the dispatcher takes an RPC submission into the driver's application")
                .contains(applicationId);
        assertThat(streamGraph.getJobConfiguration().get(DriverOptions.JOB_LIVING_PRIORITY))
                .as("what main() configured stays")
                .isEqualTo(LivingPriority.DAEMON);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "daemon, nightly: [daemon] WordCount",
        "Daemon, nightly: [daemon] WordCount",
        "normal, nightly: WordCount",
        "bogus, nightly: WordCount",
    })
    void marksWhatTheDispatcherTakesForDaemon(String configured, String name) {
        Configuration environmentConfiguration = new Configuration();
        environmentConfiguration.setString(DriverOptions.JOB_LIVING_PRIORITY.key(), configured);
        StreamGraph streamGraph =
                new StreamGraph(
                        environmentConfiguration,
                        new ExecutionConfig(),
                        new CheckpointConfig(),
                        SavepointRestoreSettings.none());
        streamGraph.setJobName("WordCount");

        new DriverJobDecorator("nightly: ", applicationId).decorate(streamGraph);

        assertThat(streamGraph.getJobName()).isEqualTo(name);
    }

    @Test
    void givesEachJobTheIdOfItsPosition() {
        DriverJobDecorator decorator = new DriverJobDecorator("nightly: ", applicationId, 2);
        for (int position = 1; position <= 3; position++) {
            StreamGraph streamGraph = discardingGraph();

            decorator.decorate(streamGraph);

            assertThat(streamGraph.getJobID())
                    .as("the same id in every driver attempt")
                    .isEqualTo(DriverJobIds.ofPosition(applicationId, position));
            assertThat(streamGraph.getJobConfiguration().get(DriverInternalOptions.JOB_POSITION))
                    .isEqualTo(position);
            assertThat(
                            streamGraph
                                    .getJobConfiguration()
                                    .get(DriverInternalOptions.JOB_COLLECTS_TO_DRIVER))
                    .isFalse();
        }
    }

    @Test
    void givesAJobThatCollectsToTheDriverAnIdPerAttempt() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1, 2, 3).collectAsync();
        StreamGraph collecting = env.getStreamGraph();
        DriverJobDecorator decorator = new DriverJobDecorator("nightly: ", applicationId, 1);

        decorator.decorate(discardingGraph());
        decorator.decorate(collecting);

        assertThat(collecting.getJobID()).isEqualTo(DriverJobIds.ofRerun(applicationId, 2, 1));
        assertThat(
                        collecting
                                .getJobConfiguration()
                                .get(DriverInternalOptions.JOB_COLLECTS_TO_DRIVER))
                .isTrue();
    }

    @Test
    void aJobThatCollectsToTheDriverUnderANewJobManagerRunsAgain() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1, 2, 3).collectAsync();
        StreamGraph collecting = env.getStreamGraph();

        new DriverJobDecorator("nightly: ", applicationId, 2, 0).decorate(collecting);

        assertThat(collecting.getJobID())
                .isEqualTo(DriverJobIds.ofRerun(applicationId, 1, 2, 0))
                .isNotEqualTo(DriverJobIds.ofRerun(applicationId, 1, 0));
    }

    private static StreamGraph discardingGraph() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(1, 2, 3).sinkTo(new DiscardingSink<>());
        return env.getStreamGraph();
    }

    @Test
    void doesNotFailTheSubmissionOfOtherPipelines() {
        // Only a StreamGraph can be renamed; any other plan is submitted as it is.
        Pipeline other = new Pipeline() {};

        assertThatCode(() -> new DriverJobDecorator("nightly: ", applicationId).decorate(other))
                .doesNotThrowAnyException();
    }
}
