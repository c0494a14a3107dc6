package dev.flinkdriver.it.apps;

import dev.flinkdriver.it.tokens.ShortLivedTokens;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A long-running driver that watches the delegation tokens its TaskManager receives: every second
 * main() appends to {@code tokens-main-<attempt>} the tokens that arrived since it last looked, or
 * else the newest again ({@code <seenAt> <arrivedAt> <issuer> <serial> <validUntil>}, or {@code
 * <seenAt> none}).
 *
 * <p>{@code args[0]}: a directory every container of the one-host test YARN sees. main() runs job
 * 1, watches until the file {@code release} appears, then runs jobs 2 and 3. Traces: {@code
 * main-<attempt>} (the JVM's pid) per main() run, {@code main-<attempt>-job-1} once its job 1
 * returned, {@code runs/job-<n>-<uuid>} per task run.
 */
public final class TokenWatchApp {

    private static final Duration WAIT = Duration.ofMinutes(8);

    private TokenWatchApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("runs"));
        int attempt = mainAttempt(dir);
        Path tokens = dir.resolve("tokens-main-" + attempt);
        Thread main = Thread.currentThread();
        Thread watcher = new Thread(() -> watch(tokens, main), "token-watcher");
        watcher.setDaemon(true);
        watcher.start();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        run(env, dir, 1);
        Files.writeString(dir.resolve("main-" + attempt + "-job-1"), "");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(dir.resolve("release"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No release within " + WAIT);
            }
            Thread.sleep(200);
        }
        run(env, dir, 2);
        run(env, dir, 3);
    }

    /**
     * Every second while main() runs: the tokens that arrived since the last look, or the newest
     * again. A main() cancelled by a JobManager failover leaves its TaskManager running, so this
     * thread ends with main()'s.
     */
    private static void watch(Path file, Thread main) {
        int written = 0;
        try {
            while (main.isAlive()) {
                List<ShortLivedTokens.Arrival> arrivals = ShortLivedTokens.arrivals();
                long now = System.currentTimeMillis();
                StringBuilder lines = new StringBuilder();
                if (arrivals.isEmpty()) {
                    lines.append(now).append(" none\n");
                } else {
                    for (int i = Math.min(written, arrivals.size() - 1); i < arrivals.size(); i++) {
                        lines.append(now).append(' ').append(arrivals.get(i)).append('\n');
                    }
                    written = arrivals.size();
                }
                Files.writeString(
                        file,
                        lines.toString(),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(StreamExecutionEnvironment env, Path dir, int job) throws Exception {
        env.fromData(job).map(new Recording(dir.toString(), job)).sinkTo(new DiscardingSink<>());
        env.execute("job-" + job);
    }

    /** Counts the main() runs through files: the driver cannot tell main() its attempt. */
    private static int mainAttempt(Path dir) throws Exception {
        int attempt = 1;
        while (Files.exists(dir.resolve("main-" + attempt))) {
            attempt++;
        }
        Files.writeString(
                dir.resolve("main-" + attempt), String.valueOf(ProcessHandle.current().pid()));
        return attempt;
    }

    /** Records each run of its task. */
    static final class Recording implements MapFunction<Integer, Integer> {

        private final String dir;
        private final int job;

        Recording(String dir, int job) {
            this.dir = dir;
            this.job = job;
        }

        @Override
        public Integer map(Integer value) throws Exception {
            Files.writeString(
                    Path.of(dir).resolve("runs").resolve("job-" + job + "-" + UUID.randomUUID()),
                    "");
            return value;
        }
    }
}
