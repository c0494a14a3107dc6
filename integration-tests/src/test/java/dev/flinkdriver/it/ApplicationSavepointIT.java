package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.UpgradeApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upgrading a running application on the real test YARN, with real state: an application savepoint,
 * a stop with one, and the next version of the program restoring its jobs by position ({@link
 * UpgradeApp}). The second test reuses the first one's application savepoint.
 */
@ExtendWith(TestYarn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplicationSavepointIT {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    private static final Pattern PATH =
            Pattern.compile("Application savepoint completed. Path: (\\S+)");

    /** The application savepoint {@code stop} took of v1; restored by both tests. */
    private static Path stopped;

    /** The last record each counter of v1 counted before the stop. */
    private static Map<String, Long> stoppedAt;

    private static Path dir;

    @Test
    @Order(1)
    @Timeout(value = 15, unit = MINUTES)
    void savepointStopAndRestoreCarryEveryCounterIntoTheNextVersion() throws Exception {
        dir = FailoverTraces.newDir("upgrade");
        String savepoints = dir.resolve("savepoints").toUri().toString();
        ApplicationId v1 = submit("v1");
        awaitCounted("counter-a", 20);
        awaitCounted("counter-b", 20);

        // savepoint: every running job's, the application runs on
        FlinkDriverCommand.Result savepoint =
                FlinkDriverCommand.run("savepoint", v1.toString(), savepoints);
        assertThat(savepoint.exitCode()).as(savepoint.stderr()).isZero();
        Path taken = path(savepoint);
        assertThat(manifest(taken).get("stopped").asBoolean()).isFalse();
        assertThat(jobsOf(manifest(taken)))
                .containsExactly("1 counter-a", "2 counter-b", "3 ticker");
        assertThat(report(v1).getYarnApplicationState()).isEqualTo(YarnApplicationState.RUNNING);
        long counted = countedSoFar("counter-a");
        awaitCounted("counter-a", counted + 10);

        // stop: every job stopped with its savepoint, the application SUCCEEDED
        FlinkDriverCommand.Result stop =
                FlinkDriverCommand.run("stop", v1.toString(), "--savepoint-dir", savepoints);
        assertThat(stop.exitCode()).as(stop.stderr()).isZero();
        stopped = path(stop);
        assertThat(stopped).isNotEqualTo(taken);
        assertThat(stop.stdout()).contains(v1 + ": FINISHED SUCCEEDED");
        ApplicationReport end = report(v1);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics())
                .contains("Stopped with application savepoint ")
                .contains(stopped.toString());
        JsonNode manifest = manifest(stopped);
        assertThat(manifest.get("stopped").asBoolean()).isTrue();
        assertThat(manifest.get("flinkVersion").asText()).isEqualTo("2.3.0");
        assertThat(jobsOf(manifest)).containsExactly("1 counter-a", "2 counter-b", "3 ticker");
        for (JsonNode job : manifest.get("jobs")) {
            assertThat(stopped.resolve(job.get("savepoint").asText()).resolve("_metadata"))
                    .exists();
        }
        assertThat(mainTrace())
                .as("main() saw its counters end, and started no job after the stop")
                .contains("counter ended")
                .doesNotContain("after ran");
        stoppedAt =
                Map.of("counter-a", lastRecord("counter-a"), "counter-b", lastRecord("counter-b"));
        System.out.printf(
                "ApplicationSavepointIT: flink-driver savepoint of 3 jobs %.1f s, stop %.1f s%n",
                savepoint.millis() / 1000.0, stop.millis() / 1000.0);

        // v2 restores: counter-a at parallelism 2, a new counter-c appended
        long t0 = System.nanoTime();
        ApplicationId v2 = submit("v2", "-s", stopped.toString());
        awaitCounted("counter-a", stoppedAt.get("counter-a") + 10);
        awaitCounted("counter-b", stoppedAt.get("counter-b") + 10);
        awaitCounted("counter-c", 10);
        System.out.printf(
                "ApplicationSavepointIT: run -s until every restored counter counts again: %.1f s%n",
                (System.nanoTime() - t0) / 1e9);

        for (String counter : List.of("counter-a", "counter-b", "counter-c")) {
            assertEveryRecordCountedOnce(counter);
        }
        assertThat(firstRecordOfLatestRuns("counter-a"))
                .as("counter-a went on after the last record it counted before the stop")
                .isEqualTo(stoppedAt.get("counter-a") + 1);
        assertThat(firstRecordOfLatestRuns("counter-b")).isEqualTo(stoppedAt.get("counter-b") + 1);

        Map<String, String> restoredFrom = restoredFrom(v2);
        assertThat(restoredFrom)
                .hasEntrySatisfying(
                        name(restoredFrom, "counter-a"),
                        p -> assertThat(p).contains(stopped.getFileName().toString()))
                .hasEntrySatisfying(name(restoredFrom, "counter-c"), p -> assertThat(p).isNull());

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", v2.toString());
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        // After the cancel main() went on to its last job: the archive has one job more.
        assertThat(restoredFrom(v2))
                .as("the archive keeps what each job restored from")
                .containsAllEntriesOf(restoredFrom);
    }

    /** Per job name, what {@code status} says it restored from (null: nothing). */
    private static Map<String, String> restoredFrom(ApplicationId id) throws Exception {
        JsonNode status =
                new ObjectMapper()
                        .readTree(
                                FlinkDriverCommand.run("status", id.toString(), "--output", "json")
                                        .stdout());
        Map<String, String> restoredFrom = new HashMap<>();
        for (JsonNode job : status.get("jobs")) {
            restoredFrom.put(job.get("name").asText(), job.path("restoredFrom").asText(null));
        }
        return restoredFrom;
    }

    @Test
    @Order(2)
    @Timeout(value = 10, unit = MINUTES)
    void aChangedNameAtARecordedPositionFailsBeforeTheJobRunsUnlessAllowed() throws Exception {
        assertThat(stopped).as("the application savepoint of the first test").isNotNull();

        ApplicationId refused = submit("renamed", "-s", stopped.toString());
        ApplicationReport end = TestYarn.get().waitForFinalState(refused, Duration.ofMinutes(5));
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(end.getDiagnostics())
                .contains("Job #1 is 'counter-x', but application savepoint ")
                .contains("recorded 'counter-a' at position 1");
        assertThat(countFiles("counter-x")).as("counter-x never ran").isEmpty();

        // A Flink savepoint of one job: the second job main() submits is refused.
        Path plain =
                stopped.resolve(manifest(stopped).get("jobs").get(0).get("savepoint").asText());
        ApplicationId oneJobs = submit("v1", "-s", plain.toString());
        ApplicationReport oneJobsEnd =
                TestYarn.get().waitForFinalState(oneJobs, Duration.ofMinutes(5));
        assertThat(oneJobsEnd.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.FAILED);
        assertThat(oneJobsEnd.getDiagnostics())
                .contains("main() submitted a second job, 'counter-b', but the savepoint ")
                .contains("holds one job's state");

        ApplicationId allowed = submit("renamed", "-s", stopped.toString(), "-n");
        awaitCounted("counter-x", stoppedAt.get("counter-a") + 5);
        assertThat(firstRecordOfLatestRuns("counter-x"))
                .as("with -n counter-x restored counter-a's state")
                .isEqualTo(stoppedAt.get("counter-a") + 1);
        assertEveryRecordCountedOnce("counter-x");

        // The same three jobs stopped job by job with Flink's own CLI, for comparison: the
        // daemon first, or main() would end the application while it is being stopped.
        String rest = TestYarn.get().awaitRunning(allowed).getOriginalTrackingUrl();
        String savepoints = dir.resolve("flink-savepoints").toUri().toString();
        long millis = 0;
        for (String job : List.of(": [daemon] ticker", ": counter-b", ": counter-x")) {
            FlinkDriverCommand.Result stop =
                    FlinkDriverCommand.run(
                            "stop", "-yid", allowed.toString(), "-p", savepoints, jobId(rest, job));
            assertThat(stop.exitCode()).as(stop.stderr()).isZero();
            assertThat(stop.stdout()).contains("Savepoint completed. Path: ");
            millis += stop.millis();
        }
        System.out.printf(
                "ApplicationSavepointIT: Flink's stop of the same 3 jobs, job by job: %.1f s%n",
                millis / 1000.0);
        assertThat(
                        TestYarn.get()
                                .waitForFinalState(allowed, Duration.ofMinutes(3))
                                .getFinalApplicationStatus())
                .as("main() went on after its jobs were stopped one by one, and returned")
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(mainTrace()).contains("after ran");
    }

    private static String jobId(String rest, String nameSuffix) throws Exception {
        for (JsonNode job : FlinkRest.get(rest, "/jobs/overview").get("jobs")) {
            if (job.get("name").asText().endsWith(nameSuffix)
                    && job.get("state").asText().equals("RUNNING")) {
                return job.get("jid").asText();
            }
        }
        throw new AssertionError("No running job " + nameSuffix);
    }

    // ------------------------------------------------------------------------

    private static ApplicationId submit(String version, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-ys", "4"));
        args.addAll(List.of(options));
        args.add(TestJars.jarOf(UpgradeApp.class).toString());
        args.add(dir.toString());
        args.add(version);
        return FlinkDriverCommand.submitDriver(args.toArray(String[]::new));
    }

    private static ApplicationReport report(ApplicationId id) throws Exception {
        return TestYarn.get().yarnClient().getApplicationReport(id);
    }

    private static Path path(FlinkDriverCommand.Result r) {
        Matcher m = PATH.matcher(r.stdout());
        assertThat(m.find()).as("a Path line in: %s%s", r.stdout(), r.stderr()).isTrue();
        return Path.of(
                java.net.URI.create(
                        m.group(1).startsWith("/") ? "file:" + m.group(1) : m.group(1)));
    }

    private static JsonNode manifest(Path savepoint) throws IOException {
        return new ObjectMapper()
                .readTree(savepoint.resolve("application-savepoint.json").toFile());
    }

    private static List<String> jobsOf(JsonNode manifest) {
        List<String> jobs = new ArrayList<>();
        manifest.get("jobs")
                .forEach(j -> jobs.add(j.get("position").asInt() + " " + j.get("name").asText()));
        return jobs;
    }

    private static String name(Map<String, String> names, String suffix) {
        return names.keySet().stream().filter(n -> n.endsWith(suffix)).findFirst().orElseThrow();
    }

    private static String mainTrace() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("main"))) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    /** Each counter task run's file, oldest first. */
    private static List<Path> countFiles(String job) throws IOException {
        Path counts = dir.resolve("counts");
        if (!Files.exists(counts)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(counts)) {
            return files.filter(f -> f.getFileName().toString().startsWith(job + "-"))
                    .sorted(
                            (a, b) -> {
                                try {
                                    return Files.getLastModifiedTime(a)
                                            .compareTo(Files.getLastModifiedTime(b));
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .toList();
        }
    }

    /** Every {@code <record> <count>} line the job's tasks wrote. */
    private static List<long[]> updates(String job) throws IOException {
        List<long[]> updates = new ArrayList<>();
        for (Path f : countFiles(job)) {
            for (String line : Files.readAllLines(f)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    updates.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
                }
            }
        }
        return updates;
    }

    private static long countedSoFar(String job) throws IOException {
        return updates(job).stream().mapToLong(u -> u[0]).max().orElse(-1);
    }

    private static long lastRecord(String job) throws IOException {
        return countedSoFar(job);
    }

    private static void awaitCounted(String job, long record) {
        await(job + " counted record " + record)
                .atMost(STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> countedSoFar(job) >= record);
    }

    /**
     * Records are the numbers 0, 1, 2, ... keyed by their remainder mod 4, so record r is its key's
     * (r / 4 + 1)-th: a count that started from zero again shows as a wrong count, a record counted
     * twice or lost as a repeated or missing number.
     */
    private static void assertEveryRecordCountedOnce(String job) throws IOException {
        List<long[]> updates = updates(job);
        Set<Long> records = new HashSet<>();
        long max = -1;
        for (long[] u : updates) {
            assertThat(records.add(u[0])).as("%s counted record %d twice", job, u[0]).isTrue();
            assertThat(u[1]).as("%s's count at record %d", job, u[0]).isEqualTo(u[0] / 4 + 1);
            max = Math.max(max, u[0]);
        }
        for (long r = firstRecord(updates); r <= max; r++) {
            assertThat(records).as("%s lost record %d", job, r).contains(r);
        }
    }

    private static long firstRecord(List<long[]> updates) {
        return updates.stream().mapToLong(u -> u[0]).min().orElse(0);
    }

    /** The first record of the task runs that started after the stop. */
    private static long firstRecordOfLatestRuns(String job) throws IOException {
        long first = Long.MAX_VALUE;
        for (Path f : countFiles(job)) {
            List<String> lines = Files.readAllLines(f);
            if (!lines.isEmpty() && Files.getLastModifiedTime(f).toMillis() > stopTime()) {
                first = Math.min(first, Long.parseLong(lines.get(0).trim().split(" ")[0]));
            }
        }
        return first;
    }

    private static long stopTime() throws IOException {
        return Files.getLastModifiedTime(stopped.resolve("application-savepoint.json")).toMillis();
    }
}
