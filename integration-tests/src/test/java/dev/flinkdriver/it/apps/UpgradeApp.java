package dev.flinkdriver.it.apps;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An application that is upgraded: {@code args[0]} a directory every container of the one-host test
 * YARN sees, {@code args[1]} the version of the program.
 *
 * <ul>
 *   <li>{@code v1}: two endless streaming jobs {@code counter-a} and {@code counter-b} (parallelism
 *       1) counting their records in keyed state, and an endless DAEMON job {@code ticker}; when
 *       both counters have ended, main() submits one more job, {@code after}.
 *   <li>{@code v2}: the same with {@code counter-a} at parallelism 2, and a new counter, {@code
 *       counter-c}, appended after the DAEMON job.
 *   <li>{@code renamed}: v1 whose first job is called {@code counter-x}.
 * </ul>
 *
 * <p>The sources are deterministic (record i is the number i, per job, from a rate-limited
 * generator whose position is in its state). Each counter task run appends {@code <record> <count>}
 * for every record to {@code counts/<job>-<uuid>}, so a test sees every update. main() records what
 * each counter's {@code getJobExecutionResult()} and the later {@code after} job did, in {@code
 * main/<uuid>}.
 */
public final class UpgradeApp {

    private UpgradeApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String version = args[1];
        Files.createDirectories(dir.resolve("counts"));
        Files.createDirectories(dir.resolve("main"));
        Path trace = dir.resolve("main").resolve(UUID.randomUUID().toString());
        append(trace, "started " + version);

        List<JobClient> counters = new ArrayList<>();
        counters.add(
                counter(
                        dir,
                        version.equals("renamed") ? "counter-x" : "counter-a",
                        version.equals("v2") ? 2 : 1));
        counters.add(counter(dir, "counter-b", 1));

        Configuration daemonConf = new Configuration();
        daemonConf.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        StreamExecutionEnvironment daemon =
                StreamExecutionEnvironment.getExecutionEnvironment(daemonConf);
        daemon.fromSource(KeyedCounters.source(), WatermarkStrategy.noWatermarks(), "ticks")
                .uid("ticks")
                .map(new Identity())
                .uid("identity")
                .sinkTo(new DiscardingSink<>())
                .uid("discard");
        daemon.executeAsync("ticker");

        if (version.equals("v2")) {
            counters.add(counter(dir, "counter-c", 1));
        }
        append(trace, "submitted");

        for (JobClient counter : counters) {
            try {
                counter.getJobExecutionResult().get();
                append(trace, "counter ended");
            } catch (Exception e) {
                append(trace, "counter failed: " + e);
            }
        }
        try {
            StreamExecutionEnvironment after = StreamExecutionEnvironment.getExecutionEnvironment();
            after.fromData(1L, 2L, 3L).map(new Identity()).sinkTo(new DiscardingSink<>());
            after.execute("after");
            append(trace, "after ran");
        } catch (Exception e) {
            append(trace, "after refused: " + e);
            throw e;
        }
    }

    private static JobClient counter(Path dir, String name, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        env.setParallelism(parallelism);
        return KeyedCounters.submit(env, dir, name, 4, KeyedCounters.Line.RECORD_AND_COUNT);
    }

    private static void append(Path file, String line) throws Exception {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static final class Identity extends RichMapFunction<Long, Long> {
        @Override
        public Long map(Long value) {
            return value;
        }
    }
}
