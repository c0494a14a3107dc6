package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.it.apps.StepsApp;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * flink-driver on a Kerberized YARN (KDC, Kerberos RPC, SPNEGO, application ACLs): alice submits
 * with her keytab, the cluster logs in from the shipped keytab, a client without credentials is
 * refused before anything reaches YARN, and bob may see and cancel alice's application only as her
 * ACLs allow. Two applications, submitted at the start, serve every case.
 */
@ExtendWith(KerberizedTestYarn.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SecuredYarnIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(4);

    /** No ticket cache: only what a test passes logs in. */
    private static final Map<String, String> NO_TICKET_CACHE =
            Map.of("KRB5CCNAME", "FILE:/nonexistent/flink-driver-it-krb5cc");

    /** alice's multi-job application, no ACLs for anybody else. */
    private static String steps;

    /** alice's application that bob may modify (yarn.modify.acls=bob). */
    private static String slow;

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

    @Test
    @Order(4)
    void bobCancelsWithTheModifyAcl() throws Exception {
        awaitState(slow, "RUNNING");
        FlinkDriverCommand.Result cancel = cli(as("bob"), "cancel", slow);
        assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains(slow + ": KILLED KILLED");
        FlinkDriverCommand.Result status = cli(as("alice"), "status", slow);
        assertThat(status.stdout()).contains("Final status: KILLED");
    }

    private static String submit(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("run", "-m", "yarn-cluster", "-D"));
        cmd.addAll(as("alice"));
        cmd.addAll(List.of(args));
        FlinkDriverCommand.Result r = cli(List.of(), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.applicationId();
    }

    /** The -D options of a user's keytab login. */
    private static List<String> as(String user) {
        return List.of(
                "-Dsecurity.kerberos.login.keytab="
                        + KerberizedTestYarn.kerberos().userKeytab(user),
                "-Dsecurity.kerberos.login.principal=" + user + "@EXAMPLE.COM");
    }

    private static FlinkDriverCommand.Result cli(List<String> login, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(args[0]);
        // The login options right after the action: run takes them among its options.
        cmd.addAll(login);
        cmd.addAll(List.of(args).subList(1, args.length));
        return FlinkDriverCommand.runWithHadoopConf(
                KerberizedTestYarn.hadoopConfDir(), NO_TICKET_CACHE, cmd.toArray(String[]::new));
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
