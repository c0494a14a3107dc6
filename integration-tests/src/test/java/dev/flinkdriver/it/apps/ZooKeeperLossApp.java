package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A finished batch job, a job whose rows go to main(), then two endless streaming jobs, {@code
 * counter-a} and {@code counter-b}, that count their records in keyed state with a checkpoint every
 * second. main() waits for counter-a, which never ends: only a cancel ends the application.
 *
 * <p>{@code args[0]}: a directory every container of the one-host test YARN sees. Traces: {@code
 * main-<uuid>} per main() run, {@code batch/<uuid>} per run of the batch job's task, {@code
 * collected/<uuid>} with the rows each main() run collected, and {@code counts/<job>-<uuid>} per
 * run of a counter's task, one line {@code <count> <record>} per record: the source emits 0, 1, 2,
 * ... and the state counts each record once exactly when {@code count == record + 1} on every line,
 * across restarts from checkpoints too.
 */
public final class ZooKeeperLossApp {

    private ZooKeeperLossApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (String sub : List.of("batch", "collected", "counts")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("main-" + UUID.randomUUID()), "");

        StreamExecutionEnvironment batch = StreamExecutionEnvironment.getExecutionEnvironment();
        batch.setRuntimeMode(RuntimeExecutionMode.BATCH);
        batch.fromData(1L).map(new BatchRun(dir.toString())).sinkTo(new DiscardingSink<>());
        batch.execute("batch");

        List<Long> rows =
                StreamExecutionEnvironment.getExecutionEnvironment()
                        .fromData(1L, 2L, 3L)
                        .executeAndCollect("collected", 10);
        Files.writeString(
                dir.resolve("collected").resolve(UUID.randomUUID().toString()),
                rows.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));

        JobClient a = counter(dir, "counter-a");
        counter(dir, "counter-b");
        a.getJobExecutionResult().get();
    }

    private static JobClient counter(Path dir, String name) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return KeyedCounters.submit(env, dir, name, 1, KeyedCounters.Line.COUNT_AND_RECORD);
    }

    /** Leaves a file per run of the batch job's task. */
    static final class BatchRun extends RichMapFunction<Long, Long> {

        private final String dir;

        BatchRun(String dir) {
            this.dir = dir;
        }

        @Override
        public Long map(Long value) throws Exception {
            Files.writeString(Path.of(dir, "batch", UUID.randomUUID().toString()), "");
            return value;
        }
    }
}
