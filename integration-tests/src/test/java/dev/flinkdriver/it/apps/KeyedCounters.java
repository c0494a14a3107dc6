package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The endless keyed counter of the apps that test state across faults: a rate-limited source of 0,
 * 1, 2, ... (20 a second, its position in its state), keyed by {@code record % keys} and counted
 * per key in keyed state. Each run of a counting task appends a line per record to {@code
 * <dir>/counts/<job>-<uuid>}, so a test tells whether a restarted task went on from its checkpoint
 * or from zero. Operator uids are fixed: an application savepoint restores them by uid.
 */
public final class KeyedCounters {

    /** What a counting task writes per record. */
    public enum Line {
        /** {@code <count>} */
        COUNT,
        /** {@code <count> <record>} */
        COUNT_AND_RECORD,
        /** {@code <record> <count>} */
        RECORD_AND_COUNT
    }

    private KeyedCounters() {}

    /**
     * Submits the counter {@code name} on {@code env} (its checkpointing and parallelism the
     * caller's; the source runs at parallelism 1) and returns at once.
     */
    public static JobClient submit(
            StreamExecutionEnvironment env, Path dir, String name, int keys, Line line)
            throws Exception {
        Files.createDirectories(dir.resolve("counts"));
        env.fromSource(source(), WatermarkStrategy.noWatermarks(), "records")
                .uid("records")
                .setParallelism(1)
                .keyBy(record -> record % keys)
                .process(new Count(dir.toString(), name, line))
                .uid("count")
                .sinkTo(new DiscardingSink<>())
                .uid("discard");
        return env.executeAsync(name);
    }

    /** The counters' endless source: 0, 1, 2, ..., 20 a second. */
    public static DataGeneratorSource<Long> source() {
        return new DataGeneratorSource<>(
                i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(20), Types.LONG);
    }

    /** Counts records per key in keyed state and appends a line per record to its run's file. */
    static final class Count extends KeyedProcessFunction<Long, Long, Long> {

        private final String dir;
        private final String job;
        private final Line line;
        private transient ValueState<Long> count;
        private transient Path file;

        Count(String dir, String job, Line line) {
            this.dir = dir;
            this.job = job;
            this.line = line;
        }

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            file = Path.of(dir, "counts", job + "-" + UUID.randomUUID());
        }

        @Override
        public void processElement(Long record, Context ctx, Collector<Long> out) throws Exception {
            long next = (count.value() == null ? 0L : count.value()) + 1;
            count.update(next);
            String text =
                    switch (line) {
                        case COUNT -> String.valueOf(next);
                        case COUNT_AND_RECORD -> next + " " + record;
                        case RECORD_AND_COUNT -> record + " " + next;
                    };
            Files.writeString(
                    file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.collect(next);
        }
    }
}
