package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A main() that goes on after its driver job was cancelled, as one that catches everything does: it
 * tries one more job and writes into {@code args[0]}/{@code after-cancel} whether that job ran or
 * was refused, and why.
 */
public final class CancelledMainApp {

    private CancelledMainApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        try {
            env.fromData(600L).map(new Sleep()).sinkTo(new DiscardingSink<>());
            env.execute("slow-job");
        } catch (Throwable cancelled) {
            // flink-driver cancel interrupted execute(); main() carries on regardless.
            Thread.interrupted();
        }
        String outcome;
        try {
            env.fromData(1L).map(new Sleep()).sinkTo(new DiscardingSink<>());
            env.execute("after-cancel");
            outcome = "ran";
        } catch (Throwable refused) {
            StringBuilder causes = new StringBuilder("refused:");
            for (Throwable t = refused; t != null; t = t.getCause()) {
                causes.append(' ').append(t);
            }
            outcome = causes.toString();
        }
        Files.writeString(dir.resolve("after-cancel"), outcome);
    }

    /** Its own class: the test packs each app's jar from the app's classes alone. */
    static final class Sleep implements MapFunction<Long, Long> {
        @Override
        public Long map(Long seconds) throws Exception {
            Thread.sleep(seconds * 1000);
            return seconds;
        }
    }
}
