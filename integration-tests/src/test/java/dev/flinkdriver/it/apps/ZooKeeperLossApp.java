package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(20),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "ticks")
                .keyBy(x -> 0)
                .process(new Count(dir.toString(), name))
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync(name);
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

    /** Counts records in keyed state and appends count and record to this task run's file. */
    static final class Count extends KeyedProcessFunction<Integer, Long, Long> {

        private final String dir;
        private final String job;
        private transient ValueState<Long> count;
        private transient Path file;

        Count(String dir, String job) {
            this.dir = dir;
            this.job = job;
        }

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            file = Path.of(dir, "counts", job + "-" + UUID.randomUUID());
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            long next = (count.value() == null ? 0L : count.value()) + 1;
            count.update(next);
            Files.writeString(
                    file,
                    next + " " + value + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            out.collect(next);
        }
    }
}
