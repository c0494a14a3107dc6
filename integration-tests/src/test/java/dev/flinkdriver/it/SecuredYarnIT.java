package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.FailoverApp;
import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.apps.StepsApp;

import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;

import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.type.ticket.TgtTicket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.flinkdriver.it.KerberizedCli.as;
import static dev.flinkdriver.it.KerberizedCli.cli;
import static dev.flinkdriver.it.KerberizedCli.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * flink-driver on a Kerberized YARN (KDC, Kerberos RPC, SPNEGO, application ACLs): alice submits
 * with her keytab, the cluster logs in from the shipped keytab, a client without credentials is
 * refused before anything reaches YARN, and bob may see and cancel alice's application only as her
 * ACLs allow, only the ApplicationMaster's container holds the AMRMToken, and HA runs on the
 * SASL-secured ZooKeeper. Two applications, submitted at the start, serve every case but HA's,
 * which loses its own ApplicationMaster and whose aggregated logs and jobs alice reads at the end,
 * the ticket cache's and the Flink session's (started at the start too, deploying while the other
 * cases run).
 */
@ExtendWith(KerberizedTestYarn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SecuredYarnIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(4);

    /** The kind of the AMRMToken ({@code AMRMTokenIdentifier.KIND_NAME}). */
    private static final String AM_RM_TOKEN = "YARN_AM_RM_TOKEN";

    /** alice's multi-job application, no ACLs for anybody else. */
    private static String steps;

    /** alice's application that bob may modify (yarn.modify.acls=bob). */
    private static String slow;

    /** alice's HA application, which lost its ApplicationMaster and SUCCEEDED (test 6). */
    private static String ha;

    @BeforeAll
    static void aliceSubmits() throws Exception {
        steps = submit(TestJars.jarOf(StepsApp.class).toString(), "4", "8");
        slow =
                submit(
                        "-Dyarn.modify.acls=bob",
                        TestJars.jarOf(SlowJobApp.class).toString(),
                        "wait",
                        "600");
    }

    @Test
    @Order(1)
    void withoutCredentialsNothingReachesYarn() throws Exception {
        List<String> before = allApplications();
        Path staging = TestPaths.clientWorkDir().resolve("staging/.flink");
        List<String> stagedBefore = children(staging);

        FlinkDriverCommand.Result r =
                cli(
                        List.of(),
                        "run",
                        "-m",
                        "yarn-cluster",
                        "-D",
                        TestJars.jarOf(StepsApp.class).toString(),
                        "1",
                        "1");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr().strip())
                .doesNotContain("\n")
                .contains("no Kerberos credentials")
                .contains("security.kerberos.login.keytab")
                .contains("kinit");
        assertThat(allApplications()).isEqualTo(before);
        assertThat(children(staging)).isEqualTo(stagedBefore);
    }

    @Test
    @Order(2)
    void bobCanNeitherSeeTheDetailsOfNorCancelAlicesApplication() throws Exception {
        awaitState(steps, "RUNNING");

        FlinkDriverCommand.Result status = cli(as("bob"), "status", steps);
        KerberizedCli.assertViewRefused(status);
        assertThat(status.stdout()).contains("State:        RUNNING").doesNotContain("Jobs:");

        FlinkDriverCommand.Result cancel = cli(as("bob"), "cancel", steps);
        assertThat(cancel.exitCode()).isEqualTo(1);
        assertThat(cancel.stderr().strip())
                .doesNotContain("\n")
                .contains("bob may not cancel")
                .contains("modify ACL");
        assertThat(state(steps)).isEqualTo("RUNNING");
    }

    /** Also: status after the end, through the archive, and the cluster's keytab logins. */
    @Test
    @Order(3)
    void alicesMultiJobApplicationSucceedsWithTheShippedKeytab() throws Exception {
        FlinkDriverCommand.Result end = cli(as("alice"), "status", "--wait", steps);
        assertThat(end.exitCode()).as(end.stdout() + end.stderr()).isZero();
        assertThat(end.stdout()).contains("Final status: SUCCEEDED");
        for (int i = 1; i <= 4; i++) {
            assertThat(end.stdout()).containsPattern("FINISHED +NORMAL .*: step-" + i);
        }

        String jobManager = containerLog(steps, "jobmanager.log", "");
        assertThat(jobManager)
                .contains("Attempting to login to KDC using principal: alice@EXAMPLE.COM keytab")
                .contains("Successfully logged into KDC");
        String driverTaskManager =
                containerLog(
                        steps, "taskmanager.log", "Running main() of " + StepsApp.class.getName());
        assertThat(driverTaskManager)
                .contains("Attempting to login to KDC using principal: alice@EXAMPLE.COM keytab")
                .contains("Successfully logged into KDC");
    }

    /**
     * Only the ApplicationMaster talks to the ResourceManager's scheduler: the NodeManager hands
     * the AMRMToken to its container and to no TaskManager's, the driver's included. Read from the
     * {@code container_tokens} in the containers' working dirs while they run (the NodeManager
     * deletes it when a container ends): alice's slow application, whose job holds a user
     * TaskManager.
     */
    @Test
    @Order(4)
    void theAmRmTokenIsInTheApplicationMastersContainerOnly() {
        String am = "container_" + slow.substring("application_".length()) + "_01_000001";
        Map<String, List<String>> kinds =
                await("the AM, the driver's and a user TaskManager of " + slow)
                        .atMost(APP_TIMEOUT)
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(
                                () -> containerTokenKinds(slow),
                                k -> k.containsKey(am) && k.size() >= 3);
        System.err.println("SecuredYarnIT: token kinds by container of " + slow + ": " + kinds);
        assertThat(kinds.get(am)).as("the AM's tokens").contains(AM_RM_TOKEN);
        kinds.forEach(
                (container, tokens) -> {
                    if (!container.equals(am)) {
                        assertThat(tokens)
                                .as("the tokens of %s", container)
                                .doesNotContain(AM_RM_TOKEN);
                    }
                });
    }

    @Test
    @Order(5)
    void bobCancelsWithTheModifyAcl() throws Exception {
        awaitState(slow, "RUNNING");
        // While it runs, alice reads its logs: the driver's container from the JobManager's REST
        // API, the files from the NodeManagers' web services (SPNEGO on this YARN).
        await("alice's logs of her running application")
                .atMost(APP_TIMEOUT)
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                        () -> {
                            FlinkDriverCommand.Result logs =
                                    cli(as("alice"), "logs", "--all", slow);
                            assertThat(logs.exitCode()).as(logs.stderr()).isZero();
                            assertThat(logs.stdout())
                                    .containsPattern("container_\\S+ taskmanager.out")
                                    .containsPattern("container_\\S+_000001 jobmanager.log")
                                    .contains("Starting YarnDriverClusterEntrypoint");
                        });
        FlinkDriverCommand.Result cancel = cli(as("bob"), "cancel", slow);
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains(slow + ": KILLED KILLED");
        FlinkDriverCommand.Result status = cli(as("alice"), "status", slow);
        assertThat(status.stdout()).contains("Final status: KILLED");
    }

    /**
     * HA on the SASL-secured ZooKeeper: the JobManager logs in to ZooKeeper as alice (JAAS context
     * Client from the shipped keytab), its nodes are hers alone (ACL creator), a lost
     * ApplicationMaster's successor recovers the finished jobs from them, and the attempt that
     * closes the application removes them.
     */
    @Test
    @Order(6)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void haOnTheSecuredZooKeeperSurvivesALostApplicationMaster() throws Exception {
        Path dir = FailoverTraces.newDir("secured-jm-failover");
        List<String> args = new ArrayList<>(KerberizedCli.haOnSecuredZooKeeper());
        args.addAll(
                List.of(
                        TestJars.jarOf(FailoverApp.class).toString(),
                        dir.toString(),
                        "after-job-2"));
        String id = submit(args.toArray(String[]::new));
        ha = id;
        await("main() after job 2")
                .atMost(APP_TIMEOUT)
                .until(() -> Files.exists(dir.resolve("kill-driver")));
        JobResultStoreFiles.awaitStored(id, 2, APP_TIMEOUT);
        String node = "/flink/" + id;
        try (ZooKeeperProbe zk = new ZooKeeperProbe(KerberizedTestYarn.zookeeperQuorum())) {
            assertThat(zk.exists(node)).as("the application's HA node %s", node).isTrue();
            assertThat(zk.readableWithoutLogin(node))
                    .as("%s is readable by its creator only (ACL creator)", node)
                    .isFalse();

            String amContainer =
                    "container_" + id.substring("application_".length()) + "_01_000001";
            ProcessHandle am =
                    await("the ApplicationMaster's JVM")
                            .atMost(Duration.ofMinutes(1))
                            .until(
                                    () -> LostProcesses.applicationMaster(amContainer),
                                    Optional::isPresent)
                            .orElseThrow();
            LostProcesses.kill(am);

            FlinkDriverCommand.Result end = cli(as("alice"), "status", "--wait", id);
            assertThat(end.exitCode()).as(end.stdout() + end.stderr()).isZero();
            assertThat(end.stdout())
                    .contains("Final status: SUCCEEDED")
                    .contains("4 jobs finished, 0 failed, 0 cancelled")
                    .contains("JobManager lost 1 time");
            assertThat(FailoverTraces.taskRuns(dir))
                    .as("jobs 1-2 ran once, 3-4 once in the second attempt")
                    .isEqualTo(Map.of(1, 1L, 2, 1L, 3, 1L, 4, 1L));
            String secondJobManager =
                    Files.readString(
                            KerberizedTestYarn.containerLogs()
                                    .resolve(id)
                                    .resolve(amContainer.replace("_01_000001", "_02_000001"))
                                    .resolve("jobmanager.log"));
            assertThat(secondJobManager)
                    .as("the second attempt's JobManager logged in to ZooKeeper with Kerberos")
                    .contains("Enforcing creator for ZK connections")
                    .contains("Client will use GSSAPI as SASL mechanism");
            await("the closing attempt removes " + node)
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> !zk.exists(node));
        }
    }

    /**
     * After the end, under SPNEGO: alice reads what main() printed from the logs her application's
     * NodeManager aggregated, and its jobs; bob, outside its view ACL, is refused in one line.
     */
    @Test
    @Order(7)
    void logsAndStatusAfterTheEnd() throws Exception {
        assertThat(ha).as("test 6's application").isNotNull();
        assertThat(children(KerberizedTestYarn.aggregatedLogs().resolve("alice")))
                .as("alice's aggregated logs")
                .isNotEmpty();

        FlinkDriverCommand.Result logs = cli(as("alice"), "logs", ha);
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        assertThat(logs.stdout()).contains("main() run 1 starts").contains("main() run 2 starts");

        FlinkDriverCommand.Result status = cli(as("alice"), "status", ha);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("Final status: SUCCEEDED");
        for (int i = 1; i <= 4; i++) {
            assertThat(status.stdout()).containsPattern("FINISHED +NORMAL .*: job-" + i);
        }

        FlinkDriverCommand.Result bob = cli(as("bob"), "logs", ha);
        KerberizedCli.assertViewRefused(bob);
        assertThat(bob.stdout()).doesNotContain("main() run");
    }

    private static String state(String id) throws Exception {
        FlinkDriverCommand.Result r = cli(as("alice"), "status", id, "--output", "json");
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        return json.get("state").asText();
    }

    private static void awaitState(String id, String state) {
        await(id + " " + state)
                .atMost(APP_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> state(id), state::equals);
    }

    private static List<String> allApplications() throws Exception {
        FlinkDriverCommand.Result r = cli(as("alice"), "list", "--all");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().lines().map(l -> l.split("\\s+")[0]).sorted().toList();
    }

    /** The staging directories of applications, one per application. */
    private static List<String> children(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The kinds of the tokens in each container's {@code container_tokens}, by container id. */
    private static Map<String, List<String>> containerTokenKinds(String id) throws IOException {
        Map<String, List<String>> kinds = new TreeMap<>();
        try (Stream<Path> files = Files.walk(KerberizedTestYarn.nodeManagerLocalDir())) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals("container_tokens"))
                            .filter(
                                    p ->
                                            p.getParent()
                                                    .getParent()
                                                    .endsWith(Path.of("appcache", id)))
                            .toList()) {
                Credentials credentials =
                        Credentials.readTokenStorageFile(file.toFile(), new Configuration(false));
                kinds.put(
                        file.getParent().getFileName().toString(),
                        credentials.getAllTokens().stream()
                                .map(t -> t.getKind().toString())
                                .sorted()
                                .toList());
            }
        }
        return kinds;
    }

    /** The application's container log file of this name that contains {@code marker}. */
    private static String containerLog(String id, String fileName, String marker)
            throws IOException {
        try (Stream<Path> files = Files.walk(KerberizedTestYarn.containerLogs().resolve(id))) {
            for (Path file :
                    files.filter(p -> p.getFileName().toString().equals(fileName)).toList()) {
                String content = Files.readString(file);
                if (content.contains(marker)) {
                    return content;
                }
            }
        }
        throw new AssertionError("No " + fileName + " of " + id + " contains '" + marker + "'");
    }

    // ------------------------------------------------------------------------
    //  A ticket cache instead of a keytab; -yid into a secured Flink session
    // ------------------------------------------------------------------------

    /**
     * alice logs in from her ticket cache, as after {@code kinit} (this machine has none: the cache
     * is written with the Kerby client MiniKdc comes with), and no keytab anywhere: {@code status}
     * and {@code list} work as her (bob could not see the jobs of {@code steps}), and {@code run}
     * deploys an application as Flink's client does then: with the delegation tokens the client
     * obtained and no keytab, so that its JobManager has no Kerberos login of its own and renews
     * nothing.
     */
    @Test
    @Order(8)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aliceLogsInFromHerTicketCache() throws Exception {
        Map<String, String> kinit = Map.of("KRB5CCNAME", "FILE:" + ticketCache("alice"));

        FlinkDriverCommand.Result status = cliWithEnv(kinit, "status", "--wait", steps);
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("Final status: SUCCEEDED")
                .containsPattern("FINISHED +NORMAL .*: step-4");
        FlinkDriverCommand.Result list = cliWithEnv(kinit, "list", "--all");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(steps, slow);

        FlinkDriverCommand.Result run =
                cliWithEnv(
                        kinit,
                        "run",
                        "-m",
                        "yarn-cluster",
                        "-D",
                        TestJars.jarOf(StepsApp.class).toString(),
                        "1",
                        "1");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        String id = run.applicationId();
        FlinkDriverCommand.Result end = cliWithEnv(kinit, "status", "--wait", id);
        assertThat(end.exitCode()).as(end.stdout() + end.stderr()).isZero();
        assertThat(end.stdout())
                .contains("Final status: SUCCEEDED")
                .containsPattern("FINISHED +NORMAL .*: step-1");
        // Nothing to log in with in the cluster: no keytab shipped, no renewal of tokens.
        String jobManager = containerLog(id, "jobmanager.log", "");
        assertThat(jobManager)
                .doesNotContain("Attempting to login to KDC")
                .doesNotContain(SecurityOptions.KERBEROS_LOGIN_KEYTAB.key())
                .contains("Kerberos security is disabled")
                .contains(
                        "Tokens update task not started because either no tokens obtained or none"
                                + " of the tokens specified its renewal date");
    }

    /**
     * {@code run -D -yid} into a Flink session that alice started on the Kerberized YARN with her
     * keytab, the way Flink's {@code yarn-session.sh -d} does ({@code FlinkYarnSessionCli}, from a
     * lib/ with no jar of this project): the driver job and its jobs finish in the session, which
     * runs on until it is stopped.
     */
    @Test
    @Order(9)
    void runIntoASecuredFlinkSession() throws Exception {
        Process cli = sessionCli;
        sessionCli = null; // from here on this case stops the session
        FlinkSession session = deployedSession(cli, sessionDir);
        try {
            FlinkDriverCommand.Result run =
                    cli(
                            as("alice"),
                            "run",
                            "-D",
                            "-yid",
                            session.id(),
                            TestJars.jarOf(StepsApp.class).toString(),
                            "2",
                            "1");
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            Matcher driver =
                    Pattern.compile("Driver job submitted: ([0-9a-f]{32})").matcher(run.stdout());
            assertThat(driver.find()).as(run.stdout()).isTrue();
            String prefix = "Flink Driver: " + StepsApp.class.getName();
            Map<String, String> jobs =
                    await("the driver job and its 2 jobs FINISHED in " + session.id())
                            .atMost(APP_TIMEOUT)
                            .pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions()
                            .until(
                                    () -> FlinkRest.jobStates(session.restUrl(), prefix),
                                    j ->
                                            j.size() == 3
                                                    && j.values().stream()
                                                            .allMatch(
                                                                    List.of(
                                                                                    "FINISHED",
                                                                                    "FAILED",
                                                                                    "CANCELED")
                                                                            ::contains));
            assertThat(jobs)
                    .containsOnly(
                            Map.entry(prefix, "FINISHED"),
                            Map.entry(prefix + ": step-1", "FINISHED"),
                            Map.entry(prefix + ": step-2", "FINISHED"));
            assertThat(
                            FlinkRest.get(session.restUrl(), "/jobs/" + driver.group(1))
                                    .get("state")
                                    .asText())
                    .isEqualTo("FINISHED");
            assertThat(state(session.id())).isEqualTo("RUNNING");
            assertThat(containerLog(session.id(), "jobmanager.log", "YarnSessionClusterEntrypoint"))
                    .contains(
                            "Attempting to login to KDC using principal: alice@EXAMPLE.COM keytab");
        } finally {
            session.stop();
        }
        awaitState(session.id(), "FINISHED");
    }

    /** {@code yarn-session -d}, deploying while the other cases run. */
    private static Process sessionCli;

    private static Path sessionDir;

    @BeforeAll
    static void aliceStartsAFlinkSession() throws Exception {
        sessionDir =
                Files.createDirectories(
                        TestPaths.itDir().resolve("secured-session-" + System.nanoTime()));
        sessionCli = startFlinkSession(sessionDir);
    }

    /** The session, when its case did not run. */
    @AfterAll
    static void stopTheFlinkSession() throws Exception {
        Process p = sessionCli;
        sessionCli = null;
        if (p != null) {
            deployedSession(p, sessionDir).stop();
        }
    }

    /** alice's ticket cache, as {@code kinit -kt alice.keytab alice} would write it. */
    private static Path ticketCache(String user) throws Exception {
        Path cache = TestPaths.itDir().resolve("krb5cc_" + user + "_" + System.nanoTime());
        KrbClient kdc = new KrbClient(KerberizedTestYarn.kerberos().krb5Conf().toFile());
        kdc.init();
        TgtTicket tgt =
                kdc.requestTgt(
                        user + "@EXAMPLE.COM",
                        KerberizedTestYarn.kerberos().userKeytab(user).toFile());
        kdc.storeTicket(tgt, cache.toFile());
        return cache;
    }

    private static FlinkDriverCommand.Result cliWithEnv(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return FlinkDriverCommand.runWithHadoopConf(KerberizedTestYarn.hadoopConfDir(), env, args);
    }

    /** A Flink session on the Kerberized YARN: its application and its REST API. */
    private record FlinkSession(String id, String restUrl) {

        /** As {@code yarn-session.sh} stops a session: Flink's REST API shuts the cluster down. */
        void stop() throws Exception {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(restUrl + "/cluster"))
                                            .DELETE()
                                            .timeout(Duration.ofSeconds(60))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    /**
     * {@code yarn-session.sh -d} as alice with her keytab: Flink's {@code FlinkYarnSessionCli} in a
     * JVM of its own (the test JVM never logs in), from the plain lib/ of {@link
     * ExistingClusterIT}; it deploys the session and exits.
     */
    private static Process startFlinkSession(Path dir) throws Exception {
        Path dist = TestPaths.distDir();
        Path lib = ExistingClusterIT.plainLib();
        Path krb5Conf = KerberizedTestYarn.kerberos().krb5Conf();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(
                List.of(
                        GlobalConfiguration.loadConfiguration(dist.resolve("conf").toString())
                                .get(CoreOptions.FLINK_JVM_OPTIONS)
                                .trim()
                                .split("\\s+")));
        cmd.addAll(
                List.of(
                        "-Xmx256m",
                        "-Djava.security.krb5.conf=" + krb5Conf,
                        // Its .yarn-properties file, which would point every later client at it.
                        "-Djava.io.tmpdir=" + dir,
                        "-Dlog.file=" + dir.resolve("yarn-session.log"),
                        "-Dlog4j.configurationFile="
                                + dist.resolve("conf/log4j-cli.properties").toUri(),
                        "-cp",
                        lib
                                + "/*:"
                                + dist.resolve("hadoop")
                                + "/*:"
                                + KerberizedTestYarn.hadoopConfDir(),
                        "org.apache.flink.yarn.cli.FlinkYarnSessionCli",
                        "-d",
                        "-nm",
                        "secured Flink session (SecuredYarnIT)",
                        "-Dsecurity.kerberos.login.keytab="
                                + KerberizedTestYarn.kerberos().userKeytab("alice"),
                        "-Dsecurity.kerberos.login.principal=alice@EXAMPLE.COM",
                        "-Dsecurity.kerberos.krb5-conf.path=" + krb5Conf,
                        "-Dyarn.staging-directory="
                                + TestPaths.itDir().resolve("staging").toUri()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLINK_CONF_DIR", dist.resolve("conf").toString());
        pb.environment().put("FLINK_LIB_DIR", lib.toString());
        pb.environment().put("HADOOP_CONF_DIR", KerberizedTestYarn.hadoopConfDir().toString());
        pb.environment().remove("YARN_CONF_DIR");
        pb.environment().put("KRB5CCNAME", KerberizedCli.NO_TICKET_CACHE.get("KRB5CCNAME"));
        pb.redirectOutput(dir.resolve("yarn-session.out").toFile());
        pb.redirectError(dir.resolve("yarn-session.err").toFile());
        return pb.start();
    }

    /** The session {@code p} deployed, once it has exited. */
    private static FlinkSession deployedSession(Process p, Path dir) throws Exception {
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("yarn-session -d hangs; see " + dir);
        }
        String out = Files.readString(dir.resolve("yarn-session.out"));
        String log = Files.readString(dir.resolve("yarn-session.log"));
        assertThat(p.exitValue()).as("yarn-session -d; see %s: %s", dir, out).isZero();
        Matcher rest = Pattern.compile("JobManager Web Interface: (http://\\S+)").matcher(out);
        Matcher id =
                Pattern.compile("Submitting application master (application_\\d+_\\d+)")
                        .matcher(log);
        assertThat(rest.find() && id.find()).as("see %s", dir).isTrue();
        return new FlinkSession(id.group(1), rest.group(1));
    }
}
