package dev.flinkdriver.benchmarks;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark program, compiled by {@code benchmarks/run} at start-up.
 *
 * <pre>
 *   jobs &lt;n&gt; [--output dir] [--hold-seconds s]  n tiny batch jobs, one after the other
 *   heavy &lt;mb&gt; &lt;n&gt; [--output dir]         hold mb MiB of heap, then run n tiny jobs
 *   long &lt;n&gt; &lt;seconds&gt; [--output dir]     n jobs of about that many seconds each, parallelism 4
 * </pre>
 *
 * <p>{@code long} stands for a production application: its jobs keep four slots (two TaskManagers
 * of two slots) busy for most of the application's life. Each subtask processes a fixed number of
 * records at a fixed pace ({@link Paced}) and shuffles them by key, so a job takes the same time
 * in both modes as long as the machine keeps up, and what differs between the modes is their
 * overhead, not how fast a loaded machine computes.
 *
 * <p>With {@code --output}, writes {@code timings.txt}: the wall time of each {@code execute()} in
 * milliseconds, one a line, measured inside main() (submission, scheduling, run, result).
 *
 * <p>With {@code --hold-seconds} (and {@code --output}), main() does not return after its last job:
 * it writes {@code held} and waits until {@code release} appears in the output directory (at most
 * that many seconds), then writes {@code hold_ms.txt}, how long it waited. Meanwhile the harness
 * looks at the JobManager as it is after the last job (its heap), before the application ends.
 */
public final class BenchApp {

    private BenchApp() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "jobs";
        Path output = null;
        int holdSeconds = 0;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--output")) {
                output = Path.of(args[i + 1]);
            } else if (args[i].equals("--hold-seconds")) {
                holdSeconds = Integer.parseInt(args[i + 1]);
            }
        }
        List<byte[]> ballast = new ArrayList<>();
        int jobs;
        if (mode.equals("heavy")) {
            int mb = Integer.parseInt(args[1]);
            jobs = Integer.parseInt(args[2]);
            // 64 KiB chunks: 1 MiB arrays would be G1 humongous objects, taking 2 MiB each.
            for (int i = 0; i < mb * 16; i++) {
                byte[] chunk = new byte[1 << 16];
                for (int j = 0; j < chunk.length; j += 4096) {
                    chunk[j] = (byte) i;
                }
                ballast.add(chunk);
            }
            System.out.println("holding " + ballast.size() / 16 + " MiB of heap");
        } else {
            jobs = Integer.parseInt(args[1]);
        }
        if (mode.equals("long")) {
            runLong(jobs, Integer.parseInt(args[2]), output);
            return;
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        List<String> timings = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            long start = System.nanoTime();
            env.fromSequence(1, 100).sinkTo(new DiscardingSink<>());
            env.execute("job-" + i);
            timings.add(Long.toString((System.nanoTime() - start) / 1_000_000));
        }
        long touched = 0;
        for (byte[] chunk : ballast) {
            touched += chunk[0];
        }
        System.out.println("ran " + jobs + " jobs, ballast checksum " + touched);
        if (output != null) {
            Files.createDirectories(output);
            Files.write(output.resolve("timings.txt"), timings);
            if (holdSeconds > 0) {
                hold(output, holdSeconds);
            }
        }
    }

    private static void hold(Path output, int seconds) throws Exception {
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        Files.write(output.resolve("held"), List.of());
        while (!Files.exists(output.resolve("release")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long heldMs = (System.nanoTime() - start) / 1_000_000;
        Files.write(output.resolve("hold_ms.txt"), List.of(Long.toString(heldMs)));
    }

    /** Parallelism of a long job: two TaskManagers of two slots. */
    private static final int LONG_PARALLELISM = 4;

    /** Records per second and subtask in a long job: enough to shuffle, little CPU. */
    private static final int LONG_RECORDS_PER_SECOND = 1000;

    private static void runLong(int jobs, int seconds, Path output) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(LONG_PARALLELISM);
        long records = (long) LONG_PARALLELISM * LONG_RECORDS_PER_SECOND * seconds;
        List<String> timings = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            long start = System.nanoTime();
            env.fromSequence(1, records)
                    .map(new Paced(LONG_RECORDS_PER_SECOND))
                    .keyBy(value -> value % 64)
                    .reduce(Long::sum)
                    .sinkTo(new DiscardingSink<>());
            env.execute("long-job-" + i);
            timings.add(Long.toString((System.nanoTime() - start) / 1_000_000));
        }
        System.out.println("ran " + jobs + " long jobs of " + seconds + " s");
        if (output != null) {
            Files.createDirectories(output);
            Files.write(output.resolve("timings.txt"), timings);
        }
    }

    /**
     * Passes records on at most {@code perSecond} per subtask, sleeping when ahead of schedule,
     * and mixes each value a little so that the work is not optimised away.
     */
    private static final class Paced extends RichMapFunction<Long, Long> {
        private final int perSecond;
        private transient long startNanos;
        private transient long count;

        Paced(int perSecond) {
            this.perSecond = perSecond;
        }

        @Override
        public void open(OpenContext openContext) {
            startNanos = System.nanoTime();
            count = 0;
        }

        @Override
        public Long map(Long value) throws Exception {
            count++;
            long dueNanos = startNanos + count * 1_000_000_000L / perSecond;
            long aheadMillis = (dueNanos - System.nanoTime()) / 1_000_000;
            if (aheadMillis > 0) {
                Thread.sleep(aheadMillis);
            }
            long mixed = value * 0x9E3779B97F4A7C15L;
            return mixed ^ (mixed >>> 31);
        }
    }
}
