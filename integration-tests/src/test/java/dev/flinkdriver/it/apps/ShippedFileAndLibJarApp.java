package dev.flinkdriver.it.apps;

import dev.flinkdriver.it.lib.Greeting;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the file {@code args[0]} (shipped with {@code --file}) and uses a class of a {@code
 * --libjars} jar, each from main() and from a task; writes the four results to {@code
 * args[1]}/results.txt.
 */
public final class ShippedFileAndLibJarApp {

    private ShippedFileAndLibJarApp() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        List<String> results = new ArrayList<>();
        results.add("main " + Files.readString(Path.of(name)).strip());
        results.add(Greeting.of("main"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        try (CloseableIterator<String> it =
                env.fromData(name)
                        .map(n -> "task " + Files.readString(Path.of(n)).strip())
                        .executeAndCollect("read-shipped-file")) {
            results.add(it.next());
        }
        try (CloseableIterator<String> it =
                env.fromData("task").map(Greeting::of).executeAndCollect("use-lib-jar")) {
            results.add(it.next());
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Files.write(out.resolve("results.txt"), results);
    }
}
