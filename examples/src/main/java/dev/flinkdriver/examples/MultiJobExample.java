package dev.flinkdriver.examples;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * A Flink application of four jobs, the shape driver mode is for: a job, two jobs in parallel with
 * {@code executeAsync()}, then a job that uses their results.
 *
 * <p>Results (each checkable by hand) are printed and, with {@code --output <dir>}, written to
 * {@code <dir>/results.txt}:
 *
 * <ul>
 *   <li>{@code words}: the word counts of a fixed text ("flink" occurs 3 times);
 *   <li>{@code sum-of-squares}: 1² + … + 100² = 338350;
 *   <li>{@code primes-below-1000}: 168;
 *   <li>{@code total}: sum-of-squares + primes-below-1000 = 338518, computed by a fourth job.
 * </ul>
 */
public final class MultiJobExample {

    static final String[] TEXT = {
        "flink runs the jobs of an application",
        "the driver runs main of the application",
        "driver mode keeps flink on yarn alive without a client",
        "flink"
    };

    private MultiJobExample() {}

    public static void main(String[] args) throws Exception {
        Path output = outputDir(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        List<String> results = new ArrayList<>();

        // Job 1: execute() and wait.
        Map<String, Integer> words = new TreeMap<>();
        try (CloseableIterator<Tuple2<String, Integer>> it =
                env.fromData(TEXT)
                        .flatMap(MultiJobExample::splitWords)
                        .returns(Types.TUPLE(Types.STRING, Types.INT))
                        .keyBy(t -> t.f0)
                        .sum(1)
                        .executeAndCollect("word-count")) {
            it.forEachRemaining(t -> words.put(t.f0, t.f1));
        }
        results.add("words " + words);

        // Jobs 2 and 3: submitted together with executeAsync(), running side by side.
        CloseableIterator<Long> squares =
                env.fromData(range(1, 100)).map(x -> x * x).returns(Types.LONG).collectAsync();
        JobClient squaresJob = env.executeAsync("sum-of-squares");
        CloseableIterator<Long> primes =
                env.fromData(range(2, 999))
                        .filter(MultiJobExample::isPrime)
                        .map(x -> 1L)
                        .returns(Types.LONG)
                        .collectAsync();
        JobClient primesJob = env.executeAsync("primes-below-1000");
        long sumOfSquares = sum(squares);
        long primeCount = sum(primes);
        squaresJob.getJobExecutionResult().get();
        primesJob.getJobExecutionResult().get();
        results.add("sum-of-squares " + sumOfSquares);
        results.add("primes-below-1000 " + primeCount);

        // Job 4: uses the results of jobs 2 and 3.
        DataStream<Long> parts = env.fromData(sumOfSquares, primeCount);
        long total;
        try (CloseableIterator<Long> it =
                parts.keyBy(x -> 0).reduce(Long::sum).executeAndCollect("total")) {
            total = last(it);
        }
        results.add("total " + total);

        for (String line : results) {
            System.out.println(line);
        }
        if (output != null) {
            Files.createDirectories(output);
            Files.write(output.resolve("results.txt"), results);
        }
    }

    private static void splitWords(String line, Collector<Tuple2<String, Integer>> out) {
        Arrays.stream(line.split("\\s+")).forEach(w -> out.collect(Tuple2.of(w, 1)));
    }

    private static boolean isPrime(long n) {
        return n >= 2 && LongStream.rangeClosed(2, (long) Math.sqrt(n)).noneMatch(d -> n % d == 0);
    }

    private static Long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toArray(Long[]::new);
    }

    private static long sum(CloseableIterator<Long> it) throws Exception {
        long sum = 0;
        try (it) {
            while (it.hasNext()) {
                sum += it.next();
            }
        }
        return sum;
    }

    private static long last(CloseableIterator<Long> it) {
        long last = 0;
        while (it.hasNext()) {
            last = it.next();
        }
        return last;
    }

    private static Path outputDir(String[] args) throws IOException {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--output")) {
                return Path.of(args[i + 1]);
            }
        }
        return null;
    }
}
