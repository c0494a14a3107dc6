package dev.flinkdriver.benchmarks;

import org.apache.flink.api.common.RuntimeExecutionMode;
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
 *   jobs &lt;n&gt; [--output dir]               n tiny batch jobs, one after the other
 *   heavy &lt;mb&gt; &lt;n&gt; [--output dir]         hold mb MiB of heap, then run n tiny jobs
 * </pre>
 *
 * <p>With {@code --output}, writes {@code timings.txt}: the wall time of each {@code execute()} in
 * milliseconds, one a line, measured inside main() (submission, scheduling, run, result).
 */
public final class BenchApp {

    private BenchApp() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "jobs";
        Path output = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--output")) {
                output = Path.of(args[i + 1]);
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
        }
    }
}
