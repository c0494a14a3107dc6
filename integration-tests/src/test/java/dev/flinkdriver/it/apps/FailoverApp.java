package dev.flinkdriver.it.apps;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Four (or five) sequential jobs that leave a trace of every run, for tests that kill containers on
 * the way.
 *
 * <p>{@code args[0]}: a directory every container of the one-host test YARN sees. {@code args[1]}:
 * where the test steps in:
 *
 * <ul>
 *   <li>{@code after-job-2}: the first main() writes {@code kill-driver} (its JVM's pid) after job
 *       2 and waits to be killed;
 *   <li>{@code during-job-3}: main() first starts an endless DAEMON job (recorded as job 0); job
 *       3's task writes {@code job-3-running} and waits for {@code release}; the first main()'s pid
 *       is in {@code main-1};
 *   <li>{@code other-jobs}: the first main() runs job {@code alpha}, writes {@code kill-driver} and
 *       waits; a restarted main() runs {@code beta} first;
 *   <li>{@code kill-user-task}: job 1's first run writes {@code kill-task} (its TaskManager's pid)
 *       and waits to be killed; job 1 restarts by its own strategy;
 *   <li>{@code exit}: main() calls System.exit after job 1;
 *   <li>{@code five-jobs}: five jobs, each with a restart strategy of its own (a lost host may take
 *       any job's TaskManager); job 3's task writes {@code job-3-running} and waits for {@code
 *       release}.
 * </ul>
 *
 * <p>Traces: {@code main-<attempt>} per main() run (attempts counted from 1), {@code
 * runs/job-<n>-<uuid>} per task run, {@code results/main-<attempt>-job-<n>} with the accumulator
 * value execute() returned.
 */
public final class FailoverApp {

    private static final Duration WAIT = Duration.ofMinutes(3);

    private FailoverApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        Files.createDirectories(dir.resolve("runs"));
        Files.createDirectories(dir.resolve("results"));
        int attempt = mainAttempt(dir);
        // What flink-driver logs shows of each driver attempt.
        System.out.println("main() run " + attempt + " starts");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);

        if (mode.equals("other-jobs")) {
            run(env, dir, attempt, 1, attempt == 1 ? "alpha" : "beta", "");
            if (attempt == 1) {
                awaitKill(dir, "kill-driver");
            }
            return;
        }
        if (mode.equals("during-job-3")) {
            startDaemon(dir);
        }
        int jobs = mode.equals("five-jobs") ? 5 : 4;
        if (mode.equals("five-jobs")) {
            env.configure(restartStrategy());
        }
        for (int job = 1; job <= jobs; job++) {
            String options = "";
            if ((mode.equals("during-job-3") || mode.equals("five-jobs")) && job == 3) {
                options = "hold";
            } else if (mode.equals("kill-user-task") && job == 1) {
                options = "kill-task";
            }
            run(env, dir, attempt, job, "job-" + job, options);
            if (mode.equals("exit")) {
                System.exit(3);
            }
            if (mode.equals("after-job-2") && job == 2 && attempt == 1) {
                awaitKill(dir, "kill-driver");
            }
        }
    }

    private static void run(
            StreamExecutionEnvironment env,
            Path dir,
            int attempt,
            int job,
            String name,
            String options)
            throws Exception {
        if (options.equals("kill-task")) {
            // The user job's own strategy, independent of the driver's.
            env.configure(restartStrategy());
        }
        env.fromData(job)
                .map(new Recording(dir.toString(), job, options))
                .sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute(name);
        Long stamp = result.getAccumulatorResult(Recording.ACCUMULATOR);
        Files.writeString(
                dir.resolve("results").resolve("main-" + attempt + "-job-" + job),
                String.valueOf(stamp));
    }

    private static Configuration restartStrategy() {
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return restart;
    }

    /** An endless DAEMON job whose task run is recorded as job 0. */
    private static void startDaemon(Path dir) throws Exception {
        Configuration daemon = new Configuration();
        daemon.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(daemon);
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(10),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "endless")
                .map(new DaemonRun(dir.toString()))
                .sinkTo(new DiscardingSink<>());
        env.executeAsync("daemon");
    }

    /** Counts the main() runs through files: the driver cannot tell main() its attempt. */
    private static synchronized int mainAttempt(Path dir) throws Exception {
        int attempt = 1;
        while (Files.exists(dir.resolve("main-" + attempt))) {
            attempt++;
        }
        Files.writeString(
                dir.resolve("main-" + attempt), String.valueOf(ProcessHandle.current().pid()));
        return attempt;
    }

    private static void awaitKill(Path dir, String marker) throws Exception {
        Files.writeString(dir.resolve(marker), String.valueOf(ProcessHandle.current().pid()));
        Thread.sleep(WAIT.toMillis());
        throw new IllegalStateException("Nobody killed this JVM within " + WAIT);
    }

    /** Records each start of the DAEMON job's task. */
    static final class DaemonRun extends RichMapFunction<Long, Long> {

        private final String dir;

        DaemonRun(String dir) {
            this.dir = dir;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            Files.writeString(
                    Path.of(dir).resolve("runs").resolve("job-0-" + UUID.randomUUID()), "");
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }

    /** Records each run of its task; its accumulator tells one run from another. */
    static final class Recording extends RichMapFunction<Integer, Integer> {

        static final String ACCUMULATOR = "run-stamp";

        private final String dir;
        private final int job;
        private final String options;
        private final LongCounter stamp = new LongCounter();

        Recording(String dir, int job, String options) {
            this.dir = dir;
            this.job = job;
            this.options = options;
        }

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(ACCUMULATOR, stamp);
        }

        @Override
        public Integer map(Integer value) throws Exception {
            Path base = Path.of(dir);
            Files.writeString(
                    base.resolve("runs").resolve("job-" + job + "-" + UUID.randomUUID()), "");
            stamp.add(System.nanoTime() & 0xFFFFFFFL);
            if (options.equals("hold")) {
                Files.writeString(base.resolve("job-" + job + "-running"), "");
                awaitFile(base.resolve("release"));
            } else if (options.equals("kill-task") && !Files.exists(base.resolve("kill-task"))) {
                awaitKill(base, "kill-task");
            }
            return value;
        }

        private static void awaitFile(Path file) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.exists(file)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(file + " did not appear within " + WAIT);
                }
                Thread.sleep(100);
            }
        }
    }
}
