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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static dev.flinkdriver.it.FailoverTraces.taskRuns;
import static dev.flinkdriver.it.KerberizedCli.as;
import static dev.flinkdriver.it.KerberizedCli.cli;
import static dev.flinkdriver.it.KerberizedCli.submit;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delegation tokens on the Kerberized test YARN: alice submits with her keytab, a test provider
 * shipped with {@code -yt} issues tokens valid for {@link #VALIDITY}, the JobManager's token
 * manager obtains them, with Flink's Hadoop ones, under its keytab login and renews them at Flink's
 * default ratio (0.75), and a long-running driver records every token its TaskManager receives. One
 * application with HA on the SASL-secured ZooKeeper and Flink's internal SSL on, in turn: renewals
 * reach the driver; its container is killed; its JobManager is killed; the JobManagers logged in
 * from the keytab for every renewal; the driver's own RPC connection to the dispatcher worked with
 * SSL throughout.
 */
@ExtendWith(KerberizedTestYarn.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DelegationTokenIT {

    /** Renewed every 4.5 s: a 24 h HDFS token's 18 h, scaled down. */
    private static final Duration VALIDITY = Duration.ofSeconds(6);

    /** The first token and three renewals. */
    private static final int TOKENS = 4;

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    private Path dir;

    private String id;

    @BeforeAll
    void aliceSubmits() throws Exception {
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
                        "security.delegation.tokens.renewal.retry.backoff=1 s"));
        options.addAll(KerberizedCli.haOnSecuredZooKeeper());
        options.addAll(List.of(TestJars.jarOf(TokenWatchApp.class).toString(), dir.toString()));
        id = submit(options.toArray(String[]::new));
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
        assertThat(newestAtEachLook(samples(1)))
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
        assertThat(firstIssuer).as("the first attempt's AM container").isEqualTo(amContainer(1));
        ProcessHandle am =
                await("the first attempt's ApplicationMaster's JVM")
                        .atMost(STEP_TIMEOUT)
                        .until(
                                () -> LostProcesses.applicationMaster(firstIssuer),
                                Optional::isPresent)
                        .orElseThrow();
        long killedAt = System.currentTimeMillis();
        LostProcesses.kill(am);

        List<Seen> tokens = awaitTokens(3, t -> t.issuer().equals(amContainer(2)));

        System.out.printf(
                "Delegation tokens: JobManager killed -> first token of the new attempt in the"
                        + " driver: %d ms; renewal intervals: %s ms%n",
                tokens.get(0).arrivedAt() - killedAt, intervals(tokens));

        Files.writeString(dir.resolve("release"), "");
        FlinkDriverCommand.Result end = cli(as("alice"), "status", "--wait", id);
        assertThat(end.exitCode()).as(end.stdout() + end.stderr()).isZero();
        assertThat(end.stdout())
                .contains("Final status: SUCCEEDED")
                .contains("3 jobs finished, 0 failed, 0 cancelled")
                .contains("JobManager lost 1 time");
        assertThat(taskRuns(dir)).as("every job ran once").isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L));
        TestYarn.awaitNothingLeftRunning(ApplicationId.fromString(id), Duration.ofMinutes(1));
    }

    @Test
    @Order(4)
    @Timeout(value = 2, unit = MINUTES)
    void theDriverSubmittedEveryJobOverItsRpcConnectionWithInternalSsl() throws Exception {
        String driverLogs = KerberizedTestYarn.containerLogFiles(id, "taskmanager.log");
        String jobManagerLogs = KerberizedTestYarn.containerLogFiles(id, "jobmanager.log");

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

    /**
     * Kerberos on: each JobManager attempt obtained every set of tokens under a fresh login from
     * the keytab shipped into its container (Flink's Hadoop file system provider logs in for each),
     * and Flink's own providers ({@code hadoopfs}, with nothing to issue on this YARN's file
     * system, and {@code hbase}, without HBase on the class path) logged no error.
     */
    @Test
    @Order(5)
    @Timeout(value = 2, unit = MINUTES)
    void everyJobManagerAttemptRenewedUnderItsKeytabLogin() throws Exception {
        for (int attempt = 1; attempt <= 2; attempt++) {
            String container = amContainer(attempt);
            String log =
                    Files.readString(
                            KerberizedTestYarn.containerLogs()
                                    .resolve(id)
                                    .resolve(container)
                                    .resolve("jobmanager.log"));

            assertThat(renewalLogins(log, container))
                    .as("renewals of %s, each with a keytab login", container)
                    .hasSizeGreaterThanOrEqualTo(TOKENS - 1)
                    .containsOnly(true);
            assertThat(log.lines().filter(l -> l.contains(" ERROR ")))
                    .as("errors of Flink's security modules and token providers in %s", container)
                    .noneMatch(l -> l.contains("org.apache.flink.runtime.security"));
        }
    }

    // ------------------------------------------------------------------------

    /**
     * For each token renewal the JobManager's log shows complete, whether it logged in to the KDC
     * as alice from the keytab shipped into its {@code container} while it obtained the tokens.
     * Flink's token manager renews on one thread, so renewals do not interleave.
     */
    private static List<Boolean> renewalLogins(String jobManagerLog, String container) {
        Pattern keytabLogin =
                Pattern.compile(
                        Pattern.quote(
                                        "Attempting to login to KDC using principal:"
                                                + " alice@EXAMPLE.COM keytab: ")
                                + "\\S*/"
                                + Pattern.quote(container + "/krb5.keytab"));
        List<Boolean> renewals = new ArrayList<>();
        boolean renewing = false;
        boolean loggedIn = false;
        for (String line : jobManagerLog.lines().toList()) {
            if (line.contains("Starting tokens update task")) {
                renewing = true;
                loggedIn = false;
            } else if (renewing && keytabLogin.matcher(line).find()) {
                loggedIn = true;
            } else if (renewing && line.contains("Tokens update task started with")) {
                renewals.add(loggedIn);
                renewing = false;
            }
        }
        return renewals;
    }

    /** The ApplicationMaster's container of YARN attempt {@code attempt}. */
    private String amContainer(int attempt) {
        return String.format(
                "container_%s_%02d_000001", id.substring("application_".length()), attempt);
    }

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

    /**
     * The token main() held each time it looked: the newest of those that arrived since its last
     * look. A watcher starved for longer than a renewal interval writes the ones newer tokens had
     * replaced in between too, which no code of main() would have used.
     */
    private static Collection<Seen> newestAtEachLook(List<Seen> samples) {
        Map<Long, Seen> newest = new LinkedHashMap<>();
        for (Seen s : samples) {
            newest.merge(s.seenAt(), s, (older, newer) -> newer);
        }
        return newest.values();
    }

    private static List<Long> intervals(List<Seen> tokens) {
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            intervals.add(tokens.get(i).arrivedAt() - tokens.get(i - 1).arrivedAt());
        }
        return intervals;
    }
}
