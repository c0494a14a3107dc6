package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** An endless job that has nothing to do with any driver application: it must survive them. */
public final class UnrelatedEndlessApp {

    private UnrelatedEndlessApp() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(5),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "endless")
                .sinkTo(new DiscardingSink<>());
        env.execute("unrelated-endless");
    }
}
