package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Runs one job that takes {@code args[1]} seconds. {@code args[0]}: {@code wait} blocks main()
 * until the job ends; {@code return} submits it with executeAsync() and returns at once, so the job
 * outlives the driver.
 */
public final class SlowJobApp {

    private SlowJobApp() {}

    public static void main(String[] args) throws Exception {
        boolean wait = args[0].equals("wait");
        long seconds = Long.parseLong(args[1]);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromData(seconds).map(new Sleep()).sinkTo(new DiscardingSink<>());
        if (wait) {
            env.execute("slow-job");
        } else {
            env.executeAsync("slow-job");
        }
    }

    static final class Sleep implements MapFunction<Long, Long> {
        @Override
        public Long map(Long seconds) throws Exception {
            Thread.sleep(seconds * 1000);
            return seconds;
        }
    }
}
