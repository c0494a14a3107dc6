package dev.flinkdriver.it.apps;

import dev.flinkdriver.it.lib.Greeting;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Uses a class of a {@code --libjars} jar in main() and in a task; writes both to args[0]. */
public final class LibJarApp {

    private LibJarApp() {}

    public static void main(String[] args) throws Exception {
        String inMain = Greeting.of("main");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        String inTask;
        try (CloseableIterator<String> it =
                env.fromData("task").map(Greeting::of).executeAndCollect("use-lib-jar")) {
            inTask = it.next();
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Files.write(out.resolve("results.txt"), List.of(inMain, inTask));
    }
}
