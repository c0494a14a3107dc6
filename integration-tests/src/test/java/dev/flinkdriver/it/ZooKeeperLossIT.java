package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.ZooKeeperLossApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ZooKeeper lost for longer than the JobManager's session timeout, on the real test YARN: the
 * ZooKeeper server's JVM is killed with SIGKILL, and started again on its port and data directory
 * once the JobManager has given up its session.
 */
@ExtendWith(TestYarn.class)
class ZooKeeperLossIT {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    /** Short sessions, so that the test outlives one within its budget. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    /** What Flink's ZooKeeper leader election logs when Curator gives the session up. */
    private static final String SESSION_LOST = "Connection to ZooKeeper lost.";

    private static final String SUSPENDED = "Connection to ZooKeeper suspended";

    private static final String GRANTED = "DefaultDispatcherRunner was granted leadership";

    private static final String REVOKED = "DefaultDispatcherRunner was revoked the leadership";

    @Test
    @Timeout(value = 12, unit = MINUTES)
    void theJobManagerRegainsLeadershipAndTheJobsContinueFromTheirCheckpoints() throws Exception {
        Path dir = FailoverTraces.newDir("zookeeper-loss");
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "-yD",
                        "high-availability.type=zookeeper",
                        "-yD",
                        "high-availability.zookeeper.quorum=" + TestYarn.get().zookeeperQuorum(),
                        "-yD",
                        "high-availability.zookeeper.client.session-timeout="
                                + SESSION_TIMEOUT.toMillis()
                                + " ms",
                        "-yD",
                        "high-availability.zookeeper.client.connection-timeout=5 s",
                        "-yD",
                        "yarn.application-attempts=2",
                        TestJars.jarOf(ZooKeeperLossApp.class).toString(),
                        dir.toString());
        String trackingUrl = TestYarn.get().awaitRunning(id).getTrackingUrl();
        for (String job : List.of("counter-a", "counter-b")) {
            await().atMost(STEP_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> lastCount(newest(dir, job)) > 60);
        }
        assertThat(files(dir, "batch")).hasSize(1);
        assertThat(files(dir, "collected")).hasSize(1);
        Path jobManagerLog = jobManagerLog(id);
        long granted = count(jobManagerLog, GRANTED);
        List<Path> before = List.of(newest(dir, "counter-a"), newest(dir, "counter-b"));

        ProcessHandle zookeeper = TestYarn.get().zookeeperProcess();
        LostProcesses.kill(zookeeper);
        LocalDateTime killedAt = LocalDateTime.now();
        // Down for longer than the session timeout: until the JobManager's ZooKeeper client has
        // given its session up.
        await("the JobManager gives its ZooKeeper session up")
                .atMost(STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(jobManagerLog, SESSION_LOST) > 0);
        TestYarn.get().startZooKeeper();
        LocalDateTime backAt = LocalDateTime.now();

        await("the JobManager regains leadership in its own process")
                .atMost(STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> count(jobManagerLog, GRANTED) > granted);
        List<Path> resumed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String job = i == 0 ? "counter-a" : "counter-b";
            Path lost = before.get(i);
            Path after =
                    await(job + " runs again")
                            .atMost(STEP_TIMEOUT)
                            .ignoreExceptions()
                            .until(() -> newest(dir, job), p -> !p.equals(lost) && hasCounts(p));
            resumed.add(after);
            assertThat(firstCount(after))
                    .as("%s went on from its latest checkpoint instead of from zero", job)
                    .isGreaterThan(20L)
                    .isLessThanOrEqualTo(lastCount(lost) + 1);
        }
        for (Path counts : files(dir, "counts")) {
            for (String line : Files.readAllLines(counts)) {
                String[] countAndRecord = line.trim().split(" ");
                assertThat(Long.parseLong(countAndRecord[0]))
                        .as(
                                "%s: each record counted once, in state restored from checkpoints",
                                line)
                        .isEqualTo(Long.parseLong(countAndRecord[1]) + 1);
            }
        }
        await("the restarted main() collected its rows again")
                .atMost(STEP_TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(files(dir, "collected"))
                                        .hasSize(2)
                                        .allSatisfy(f -> assertThat(f).hasContent("1,2,3")));
        assertThat(files(dir, "batch")).as("the finished batch job did not run again").hasSize(1);
        assertThat(files(dir, "main-")).as("main() ran again in the same JobManager").hasSize(2);

        ApplicationReport report = TestYarn.get().yarnClient().getApplicationReport(id);
        assertThat(report.getCurrentApplicationAttemptId().getAttemptId())
                .as("no new YARN attempt: the same JobManager went on")
                .isEqualTo(1);
        assertThat(Files.readString(jobManagerLog))
                .contains(REVOKED)
                .as("the new leader's resource manager took the running TaskManagers over")
                .containsPattern(
                        "takes over the ApplicationMaster's YARN registration and its [1-9]\\d*"
                                + " containers");
        List<String> collectIds = new ArrayList<>();
        for (JsonNode job : FlinkRest.get(trackingUrl, "/jobs/overview").get("jobs")) {
            if (job.get("name").asText().endsWith(": collected")) {
                collectIds.add(job.get("jid").asText());
            }
        }
        assertThat(collectIds)
                .as("each main() run's collecting job ran under an id of its own")
                .hasSize(2)
                .doesNotHaveDuplicates();

        LocalDateTime suspended = firstTime(jobManagerLog, SUSPENDED).orElseThrow();
        LocalDateTime revoked = firstTime(jobManagerLog, REVOKED).orElseThrow();
        LocalDateTime regained = lastTime(jobManagerLog, GRANTED).orElseThrow();
        System.out.printf(
                "ZooKeeper loss: SIGKILL at %s; the JobManager saw its connection suspended after"
                        + " %.1f s, revoked leadership after %.1f s; ZooKeeper back %.1f s after"
                        + " the kill; leadership again %.1f s after its return (detection),"
                        + " counters running again %.1f s / %.1f s after its return%n",
                killedAt,
                seconds(killedAt, suspended),
                seconds(killedAt, revoked),
                seconds(killedAt, backAt),
                seconds(backAt, regained),
                seconds(backAt, created(resumed.get(0))),
                seconds(backAt, created(resumed.get(1))));

        FlinkDriverCommand.Result cancel = FlinkDriverCommand.run("cancel", id.toString());
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        ApplicationReport end = TestYarn.get().waitForFinalState(id, STEP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.KILLED);
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofMinutes(1));
    }

    // ------------------------------------------------------------------------

    private static Path jobManagerLog(ApplicationId id) throws IOException {
        return TestYarn.get().jobManagerLog(id, 1);
    }

    private static long count(Path log, String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static Optional<LocalDateTime> firstTime(Path log, String text) throws IOException {
        return times(log, text).stream().findFirst();
    }

    private static Optional<LocalDateTime> lastTime(Path log, String text) throws IOException {
        List<LocalDateTime> times = times(log, text);
        return times.isEmpty() ? Optional.empty() : Optional.of(times.get(times.size() - 1));
    }

    private static List<LocalDateTime> times(Path log, String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text))
                    .map(l -> LocalDateTime.parse(l.substring(0, 23), LOG_TIME))
                    .toList();
        }
    }

    private static double seconds(LocalDateTime from, LocalDateTime to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static LocalDateTime created(Path file) throws IOException {
        return LocalDateTime.ofInstant(
                ((java.nio.file.attribute.FileTime) Files.getAttribute(file, "creationTime"))
                        .toInstant(),
                ZoneId.systemDefault());
    }

    private static List<Path> files(Path dir, String prefix) throws IOException {
        Path sub = prefix.endsWith("-") ? dir : dir.resolve(prefix);
        String start = prefix.endsWith("-") ? prefix : "";
        try (Stream<Path> files = Files.list(sub)) {
            return files.filter(f -> f.getFileName().toString().startsWith(start)).toList();
        }
    }

    /** The file of the counter task run created last: the one that runs now. */
    private static Path newest(Path dir, String job) throws IOException {
        Path newest = null;
        LocalDateTime newestTime = null;
        for (Path f : files(dir, "counts")) {
            if (f.getFileName().toString().startsWith(job + "-")) {
                LocalDateTime t = created(f);
                if (newest == null || t.isAfter(newestTime)) {
                    newest = f;
                    newestTime = t;
                }
            }
        }
        if (newest == null) {
            throw new IllegalStateException("no run of " + job + " yet");
        }
        return newest;
    }

    private static boolean hasCounts(Path file) {
        try {
            return !Files.readAllLines(file).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static long firstCount(Path file) throws IOException {
        return Long.parseLong(Files.readAllLines(file).get(0).trim().split(" ")[0]);
    }

    private static long lastCount(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return Long.parseLong(lines.get(lines.size() - 1).trim().split(" ")[0]);
    }
}
