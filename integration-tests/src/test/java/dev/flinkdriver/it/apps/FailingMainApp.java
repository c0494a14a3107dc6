package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Starts an unbounded job, runs one finite job, then main() throws: the application must end FAILED
 * with this cause, and the unbounded job must be cancelled.
 */
public final class FailingMainApp {

    private FailingMainApp() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment streaming = StreamExecutionEnvironment.getExecutionEnvironment();
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
        streaming.executeAsync("endless-normal");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromData(1, 2, 3).map(x -> x + 1).sinkTo(new DiscardingSink<>());
        env.execute("first-job");
        throw new IllegalStateException("main() gave up after its first job");
    }
}
