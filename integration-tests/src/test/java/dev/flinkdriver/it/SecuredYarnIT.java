package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.FailoverApp;
import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.apps.StepsApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.Credentials;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
 * which loses its own ApplicationMaster, and whose aggregated logs and jobs alice reads at the end.
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
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.stderr().strip())
                .doesNotContain("\n")
                .contains("bob may not view")
                .contains("alice")
                .contains("view ACL");
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
        String id =
                submit(
                        "-yD",
                        "high-availability.type=zookeeper",
                        "-yD",
                        "high-availability.zookeeper.quorum="
                                + KerberizedTestYarn.zookeeperQuorum(),
                        "-yD",
                        "high-availability.zookeeper.client.acl=creator",
                        "-yD",
                        "security.kerberos.login.contexts=Client",
                        "-yD",
                        "yarn.application-attempts=2",
                        TestJars.jarOf(FailoverApp.class).toString(),
                        dir.toString(),
                        "after-job-2");
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
        assertThat(bob.exitCode()).isEqualTo(1);
        assertThat(bob.stderr().strip())
                .doesNotContain("\n")
                .contains("bob may not view")
                .contains("alice")
                .contains("view ACL");
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
}
