package dev.flinkdriver.it.apps;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
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
 * Two endless NORMAL streaming jobs, {@code counter-a} and {@code counter-b}, each counting its
 * records in keyed state with checkpoints every second, plus an endless DAEMON job. main() waits
 * for counter-a, which never ends: only a cancel ends the application.
 *
 * <p>{@code args[0]}: a directory every container of the one-host test YARN sees. Each run of a
 * counter task appends its counts to a file of its own, {@code counts/<job>-<uuid>}, so a test can
 * tell whether a restarted task went on from its checkpointed count or started from zero; each run
 * of the daemon task leaves {@code daemon/<uuid>}. First, main() collects the rows of a short job
 * and writes them to {@code collected/<uuid>}: such a job runs again in every main() run.
 */
public final class CheckpointedCountersApp {

    private CheckpointedCountersApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("counts"));
        Files.createDirectories(dir.resolve("daemon"));
        Files.createDirectories(dir.resolve("collected"));
        Files.writeString(
                dir.resolve("main-" + UUID.randomUUID()),
                String.valueOf(ProcessHandle.current().pid()));

        List<Long> rows =
                StreamExecutionEnvironment.getExecutionEnvironment()
                        .fromData(1L, 2L, 3L)
                        .executeAndCollect("collected", 10);
        Files.writeString(
                dir.resolve("collected").resolve(UUID.randomUUID().toString()),
                rows.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));

        JobClient a = counter(dir, "counter-a");
        counter(dir, "counter-b");

        Configuration daemonConf = new Configuration();
        daemonConf.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        StreamExecutionEnvironment daemon =
                StreamExecutionEnvironment.getExecutionEnvironment(daemonConf);
        daemon.fromSource(KeyedCounters.source(), WatermarkStrategy.noWatermarks(), "ticks")
                .map(new DaemonRun(dir.toString()))
                .sinkTo(new DiscardingSink<>());
        daemon.executeAsync("daemon");

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
        return KeyedCounters.submit(env, dir, name, 1, KeyedCounters.Line.COUNT);
    }

    /** Leaves a file per run of the daemon task. */
    static final class DaemonRun
            extends org.apache.flink.api.common.functions.RichMapFunction<Long, Long> {

        private final String dir;

        DaemonRun(String dir) {
            this.dir = dir;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            Files.writeString(Path.of(dir, "daemon", UUID.randomUUID().toString()), "");
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }
}
