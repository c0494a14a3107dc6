package dev.flinkdriver.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/flink-driver} against the {@link KerberizedTestYarn}, as alice or bob with a keytab:
 * the test JVM never logs in to Kerberos, so every call to that YARN goes through the client.
 */
final class KerberizedCli {

    /** No ticket cache: only what a test passes logs in. */
    static final Map<String, String> NO_TICKET_CACHE =
            Map.of("KRB5CCNAME", "FILE:/nonexistent/flink-driver-it-krb5cc");

    private KerberizedCli() {}

    /**
     * {@code flink-driver run -m yarn-cluster -D} as alice with her keytab, which must succeed; the
     * application it submitted.
     */
    static String submit(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("run", "-m", "yarn-cluster", "-D"));
        cmd.addAll(as("alice"));
        cmd.addAll(List.of(args));
        FlinkDriverCommand.Result r = cli(List.of(), cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.applicationId();
    }

    /**
     * HA on the Kerberized YARN's SASL ZooKeeper, two attempts: nodes only their creator (the
     * keytab's user) may read, and the Client login context so that ZooKeeper gets the keytab.
     */
    static List<String> haOnSecuredZooKeeper() throws IOException {
        return List.of(
                "-yD",
                "high-availability.type=zookeeper",
                "-yD",
                "high-availability.zookeeper.quorum=" + KerberizedTestYarn.zookeeperQuorum(),
                "-yD",
                "high-availability.zookeeper.client.acl=creator",
                "-yD",
                "security.kerberos.login.contexts=Client",
                "-yD",
                "yarn.application-attempts=2");
    }

    /** The one line, exit 1, of bob's view refused on alice's application. */
    static void assertViewRefused(FlinkDriverCommand.Result bob) {
        assertThat(bob.exitCode()).isEqualTo(1);
        assertThat(bob.stderr().strip())
                .doesNotContain("\n")
                .contains("bob may not view")
                .contains("alice")
                .contains("view ACL");
    }

    /** The -D options of a user's keytab login. */
    static List<String> as(String user) {
        return List.of(
                "-Dsecurity.kerberos.login.keytab="
                        + KerberizedTestYarn.kerberos().userKeytab(user),
                "-Dsecurity.kerberos.login.principal=" + user + "@EXAMPLE.COM");
    }

    /** {@code flink-driver <args[0]> <login> <args[1..]>}. */
    static FlinkDriverCommand.Result cli(List<String> login, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(args[0]);
        // The login options right after the action: run takes them among its options.
        cmd.addAll(login);
        cmd.addAll(List.of(args).subList(1, args.length));
        return FlinkDriverCommand.runWithHadoopConf(
                KerberizedTestYarn.hadoopConfDir(), NO_TICKET_CACHE, cmd.toArray(String[]::new));
    }
}
