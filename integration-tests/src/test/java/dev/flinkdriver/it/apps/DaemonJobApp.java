package dev.flinkdriver.it.apps;

import dev.flinkdriver.api.DriverOptions;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Starts an endless DAEMON job, then runs a NORMAL batch job and returns: the application must end
 * SUCCEEDED once the batch job is done, with the daemon job cancelled.
 */
public final class DaemonJobApp {

    private DaemonJobApp() {}

    public static void main(String[] args) throws Exception {
        Configuration daemonConf = new Configuration();
        daemonConf.set(DriverOptions.JOB_LIVING_PRIORITY, LivingPriority.DAEMON);
        StreamExecutionEnvironment daemonEnv =
                StreamExecutionEnvironment.getExecutionEnvironment(daemonConf);
        daemonEnv
                .fromSource(
                        new DataGeneratorSource<>(
                                i -> i,
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(10),
                                Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "endless")
                .sinkTo(new DiscardingSink<>());
        daemonEnv.executeAsync("endless-daemon");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromData(1, 2, 3).map(x -> x * 2).sinkTo(new DiscardingSink<>());
        env.execute("normal-batch");
    }
}
