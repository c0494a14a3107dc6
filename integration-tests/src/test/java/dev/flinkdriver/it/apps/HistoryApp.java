package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A main() whose history is read after its end. {@code succeed <marker file>}: runs the batch job
 * {@code history-a}, prints to stdout and stderr, and runs {@code history-b}, which waits until the
 * marker file exists (so a test can read the logs while the application runs). {@code fail}: starts
 * the unbounded job {@code history-endless}, runs {@code history-a}, prints an exception's stack
 * trace to stderr and throws it, so the endless job is cancelled.
 */
public final class HistoryApp {

    public static final String STDOUT_LINE = "main() says: sum of history-a is 9";
    public static final String STDERR_LINE = "main() warns: this line goes to stderr";
    public static final String FAILURE = "main() gave up after history-a";

    private HistoryApp() {}

    public static void main(String[] args) throws Exception {
        boolean fail = args.length > 0 && args[0].equals("fail");
        if (fail) {
            StreamExecutionEnvironment streaming =
                    StreamExecutionEnvironment.getExecutionEnvironment();
            streaming
                    .fromSource(
                            new DataGeneratorSource<>(
                                    i -> i,
                                    Long.MAX_VALUE,
                                    RateLimiterStrategy.perSecond(10),
                                    Types.LONG),
                            WatermarkStrategy.noWatermarks(),
                            "endless")
                    .sinkTo(new DiscardingSink<>());
            streaming.executeAsync("history-endless");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromData(2, 3, 4).map(x -> x).sinkTo(new DiscardingSink<>());
        env.execute("history-a");
        System.out.println(STDOUT_LINE);
        System.err.println(STDERR_LINE);
        if (fail) {
            IllegalStateException e = new IllegalStateException(FAILURE);
            e.printStackTrace();
            throw e;
        }
        String marker = args[1];
        env.fromData(marker).map(HistoryApp::awaitFile).sinkTo(new DiscardingSink<>());
        env.execute("history-b");
    }

    private static String awaitFile(String file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(Path.of(file)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return file;
    }
}
