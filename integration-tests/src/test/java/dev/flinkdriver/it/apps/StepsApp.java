package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Runs {@code args[0]} jobs one after another, each taking {@code args[1]} seconds. */
public final class StepsApp {

    private StepsApp() {}

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        for (int i = 1; i <= jobs; i++) {
            env.fromData(seconds).map(new Sleep()).sinkTo(new DiscardingSink<>());
            env.execute("step-" + i);
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
