package dev.flinkdriver.it.apps;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the file {@code args[0]} (shipped with {@code --file}) from main() and from a task, and
 * writes both readings to {@code args[1]}/results.txt.
 */
public final class ShippedFileApp {

    private ShippedFileApp() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String inMain = Files.readString(Path.of(name)).strip();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        String inTask;
        try (CloseableIterator<String> it =
                env.fromData(name)
                        .map(n -> Files.readString(Path.of(n)).strip())
                        .executeAndCollect("read-shipped-file")) {
            inTask = it.next();
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Files.write(out.resolve("results.txt"), List.of("main " + inMain, "task " + inTask));
    }
}
