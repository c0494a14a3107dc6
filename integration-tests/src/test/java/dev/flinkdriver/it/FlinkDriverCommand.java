package dev.flinkdriver.it;

import org.apache.hadoop.yarn.api.records.ApplicationId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code bin/flink-driver} of the distribution as a user would, against the test YARN. */
final class FlinkDriverCommand {

    private static final Pattern APP_ID = Pattern.compile("(application_\\d+_\\d+)");

    record Result(int exitCode, String stdout, String stderr, long millis) {

        String applicationId() {
            Matcher m = APP_ID.matcher(stdout);
            if (!m.find()) {
                throw new AssertionError("No application id in: " + stdout + "\n" + stderr);
            }
            return m.group(1);
        }
    }

    private FlinkDriverCommand() {}

    static Result run(String... args) throws IOException, InterruptedException {
        return runWithHadoopConf(TestYarn.get().hadoopConfDir(), args);
    }

    /**
     * {@code flink-driver run -m yarn-cluster -D <args>}, which must succeed; the application it
     * submitted.
     */
    static ApplicationId submitDriver(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("run", "-m", "yarn-cluster", "-D"));
        cmd.addAll(List.of(args));
        Result r = run(cmd.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    "flink-driver "
                            + String.join(" ", cmd)
                            + " exited "
                            + r.exitCode()
                            + ": "
                            + r.stderr());
        }
        return ApplicationId.fromString(r.applicationId());
    }

    /** Against the YARN whose client configuration is in {@code hadoopConfDir}. */
    static Result runWithHadoopConf(Path hadoopConfDir, String... args)
            throws IOException, InterruptedException {
        return runWithHadoopConf(hadoopConfDir, Map.of(), args);
    }

    /** Against the YARN of {@code hadoopConfDir}, with these environment variables set too. */
    static Result runWithHadoopConf(Path hadoopConfDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestPaths.distDir().resolve("bin/flink-driver").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
        pb.environment().remove("YARN_CONF_DIR");
        // The tests' staging and scratch files, apart from the distribution's var/.
        pb.environment().put("FLINK_DRIVER_WORK_DIR", TestPaths.clientWorkDir().toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(TestPaths.itDir(), "cli-", ".out");
        Path err = Files.createTempFile(TestPaths.itDir(), "cli-", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("flink-driver " + String.join(" ", args) + " hangs");
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Result r =
                new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8),
                        millis);
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
