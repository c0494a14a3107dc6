package dev.flinkdriver.it;

import dev.flinkdriver.driver.DriverDispatcherConnection;
import dev.flinkdriver.driver.DriverRpcExecutor;
import dev.flinkdriver.it.apps.TokenWatchApp;
import dev.flinkdriver.it.tokens.ShortLivedToken;
import dev.flinkdriver.it.tokens.ShortLivedTokenProvider;
import dev.flinkdriver.it.tokens.ShortLivedTokenReceiver;
import dev.flinkdriver.it.tokens.ShortLivedTokens;

import org.apache.flink.core.security.token.DelegationTokenProvider;
import org.apache.flink.core.security.token.DelegationTokenReceiver;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delegation tokens on the plain test YARN: a test provider shipped with {@code -yt} issues tokens
 * valid for {@link #VALIDITY}, the JobManager's token manager renews them at Flink's default ratio
 * (0.75), and a long-running driver records every token its TaskManager receives. One HA
 * application with Flink's internal SSL on, in turn: renewals reach the driver; its container is
 * killed; its JobManager is killed; the driver's own RPC connection to the dispatcher worked with
 * SSL throughout.
 */
@ExtendWith(TestYarn.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DelegationTokenIT {

    /** Renewed every 4.5 s: a 24 h HDFS token's 18 h, scaled down. */
    private static final Duration VALIDITY = Duration.ofSeconds(6);

    /** The first token and three renewals. */
    private static final int TOKENS = 4;

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    private Path dir;

    private ApplicationId id;

    @BeforeAll
    void submit() throws Exception {
        dir = FailoverTraces.newDir("delegation-tokens");
        Path tokensLib =
                TestJars.libraryJar(
                        "short-lived-tokens",
                        List.of(
                                ShortLivedToken.class,
                                ShortLivedTokenProvider.class,
                                ShortLivedTokenReceiver.class,
                                ShortLivedTokens.class),
                        Map.of(
                                DelegationTokenProvider.class,
                                List.of(ShortLivedTokenProvider.class),
                                DelegationTokenReceiver.class,
                                List.of(ShortLivedTokenReceiver.class)));
        List<String> options = new ArrayList<>(InternalSsl.options());
        options.addAll(
                List.of(
                        "-yt",
                        tokensLib.getParent().toString(),
                        "-yD",
                        ShortLivedTokenProvider.VALIDITY.key() + "=" + VALIDITY.toSeconds() + " s",
                        // Flink retries a failed renewal after 1 h, scaled down with the tokens:
                        // a renewal fails while a lost TaskManager (the killed driver's) is still
                        // registered.
                        "-yD",
                        "security.delegation.tokens.renewal.retry.backoff=1 s",
                        "-yD",
                        "high-availability.type=zookeeper",
                        "-yD",
                        "high-availability.zookeeper.quorum=" + TestYarn.get().zookeeperQuorum(),
                        "-yD",
                        "yarn.application-attempts=2",
                        TestJars.jarOf(TokenWatchApp.class).toString(),
                        dir.toString()));
        id = FlinkDriverCommand.submitDriver(options.toArray(String[]::new));
    }

    @Test
    @Order(1)
    @Timeout(value = 6, unit = MINUTES)
    void renewedTokensReachTheDriverBeforeTheOldOnesExpire() throws Exception {
        List<Seen> tokens = awaitTokens(1, t -> true);

        System.out.printf(
                "Delegation tokens: renewal intervals in the driver: %s ms%n", intervals(tokens));
        assertThat(tokens.stream().map(s -> s.token().issuer()).distinct())
                .as("one JobManager issued them")
                .hasSize(1);
        assertThat(samples(1))
                .as("main() never saw an expired token while nothing failed")
                .allSatisfy(
                        s ->
                                assertThat(s.seenAt())
                                        .as("seen at vs valid until %s", s)
                                        .isLessThanOrEqualTo(s.token().validUntil()));
    }

    @Test
    @Order(2)
    @Timeout(value = 6, unit = MINUTES)
    void aRestartedDriverReceivesTokensAndTheirRenewals() throws Exception {
        awaitJob1(1);
        long pid = Long.parseLong(Files.readString(dir.resolve("main-1")).trim());
        long killedAt = System.currentTimeMillis();
        LostProcesses.kill(
                ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid)));

        List<Seen> tokens = awaitTokens(2, t -> true);

        System.out.printf(
                "Delegation tokens: driver killed -> first token in the new driver: %d ms;"
                        + " renewal intervals: %s ms%n",
                tokens.get(0).arrivedAt() - killedAt, intervals(tokens));
        assertThat(tokens)
                .as("received by the new driver's TaskManager")
                .allSatisfy(s -> assertThat(s.arrivedAt()).isGreaterThan(killedAt));
    }

    @Test
    @Order(3)
    @Timeout(value = 10, unit = MINUTES)
    void aNewJobManagerAttemptIssuesTokensOfItsOwnThatReachTheDriver() throws Exception {
        String firstIssuer = awaitTokens(2, t -> true).get(0).token().issuer();
        // Not while the restarted driver still connects to this JobManager's dispatcher.
        awaitJob1(2);
        ProcessHandle am =
                await().atMost(STEP_TIMEOUT)
                        .ignoreExceptions()
                        .until(
                                () -> LostProcesses.applicationMaster(id, 1).orElse(null),
                                p -> p != null);
        long killedAt = System.currentTimeMillis();
        LostProcesses.kill(am);
        String secondIssuer = firstIssuer.replace("_01_000001", "_02_000001");

        List<Seen> tokens = awaitTokens(3, t -> t.issuer().equals(secondIssuer));

        System.out.printf(
                "Delegation tokens: JobManager killed -> first token of the new attempt in the"
                        + " driver: %d ms; renewal intervals: %s ms%n",
                tokens.get(0).arrivedAt() - killedAt, intervals(tokens));
        assertThat(firstIssuer).as("the first attempt's AM container").endsWith("_01_000001");

        Files.writeString(dir.resolve("release"), "");
        ApplicationReport end = TestYarn.get().waitForFinalState(id, Duration.ofMinutes(5));
        assertThat(end.getFinalApplicationStatus())
                .as(end.getDiagnostics())
                .isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("3 jobs finished, 0 failed, 0 cancelled");
        assertThat(taskRuns(dir)).as("every job ran once").isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L));
        TestYarn.get().awaitNothingLeftRunning(id, Duration.ofMinutes(1));
    }

    @Test
    @Order(4)
    @Timeout(value = 2, unit = MINUTES)
    void theDriverSubmittedEveryJobOverItsRpcConnectionWithInternalSsl() throws Exception {
        String driverLogs = TestYarn.get().containerLogFiles(id, "taskmanager.log");
        String jobManagerLogs = TestYarn.get().containerLogFiles(id, "jobmanager.log");

        assertThat(jobManagerLogs)
                .as("Flink's RPC ran with SSL")
                .contains("pekko.ssl.tcp://flink@")
                .doesNotContain("pekko.tcp://flink@");
        assertThat(
                        Pattern.compile(
                                        LogLines.pattern(
                                                DriverDispatcherConnection.CONNECTED,
                                                "pekko\\.ssl\\.tcp://\\S+",
                                                "\\d+"))
                                .matcher(driverLogs)
                                .results()
                                .count())
                .as("each of the three main() runs connected to its dispatcher over SSL")
                .isEqualTo(3);
        for (String job : List.of("job-1", "job-2", "job-3")) {
            assertThat(driverLogs)
                    .containsPattern(
                            LogLines.pattern(
                                    DriverRpcExecutor.SUBMITTING_OVER_RPC,
                                    ".*" + Pattern.quote(": " + job),
                                    "\\w+"));
        }
    }

    // ------------------------------------------------------------------------

    /** What main() recorded about a token: when it looked, and the token with its arrival. */
    private record Seen(long seenAt, long arrivedAt, ShortLivedToken token) {

        static Seen parse(String line) {
            String[] f = line.split(" ");
            return new Seen(
                    Long.parseLong(f[0]),
                    Long.parseLong(f[1]),
                    new ShortLivedToken(f[2], Long.parseLong(f[3]), Long.parseLong(f[4])));
        }
    }

    /**
     * Waits until main() run {@code attempt} has seen {@link #TOKENS} tokens that match, and
     * returns them, one per token, oldest first.
     */
    private List<Seen> awaitTokens(int attempt, Predicate<ShortLivedToken> matching) {
        return await("main() run " + attempt + " sees " + TOKENS + " tokens")
                .atMost(STEP_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () -> {
                            Map<ShortLivedToken, Seen> distinct = new LinkedHashMap<>();
                            for (Seen s : samples(attempt)) {
                                if (matching.test(s.token())) {
                                    distinct.putIfAbsent(s.token(), s);
                                }
                            }
                            return new ArrayList<>(distinct.values());
                        },
                        tokens -> tokens.size() >= TOKENS);
    }

    /** Until main() run {@code attempt}'s execute() of job 1 returned. */
    private void awaitJob1(int attempt) {
        await("main() run " + attempt + " past job 1")
                .atMost(STEP_TIMEOUT)
                .until(() -> Files.exists(dir.resolve("main-" + attempt + "-job-1")));
    }

    /** Each token main() run {@code attempt} saw, each time it looked. */
    private List<Seen> samples(int attempt) throws IOException {
        Path file = dir.resolve("tokens-main-" + attempt);
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream()
                .filter(l -> !l.endsWith(" none") && l.split(" ").length == 5)
                .map(Seen::parse)
                .toList();
    }

    private static List<Long> intervals(List<Seen> tokens) {
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            intervals.add(tokens.get(i).arrivedAt() - tokens.get(i - 1).arrivedAt());
        }
        return intervals;
    }
}
