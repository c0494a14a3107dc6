package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.util.Random;

/**
 * A job with a small plan, then one whose function holds {@code args[0]} MiB of data: a plan too
 * large for one RPC message at Flink's default pekko.framesize (10 MiB).
 */
public final class LargePlanApp {

    private LargePlanApp() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.fromData(1L).map(new Holding(new byte[0])).sinkTo(new DiscardingSink<>());
        env.execute("small-plan");

        // Random bytes: nothing on the way shrinks them.
        byte[] payload = new byte[Integer.parseInt(args[0]) << 20];
        new Random(42).nextBytes(payload);
        env.fromData(1L).map(new Holding(payload)).sinkTo(new DiscardingSink<>());
        env.execute("large-plan");
    }

    static final class Holding implements MapFunction<Long, Long> {
        private final byte[] payload;

        Holding(byte[] payload) {
            this.payload = payload;
        }

        @Override
        public Long map(Long value) {
            return value + payload.length;
        }
    }
}
