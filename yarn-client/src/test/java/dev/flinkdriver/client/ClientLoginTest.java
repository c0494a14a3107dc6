package dev.flinkdriver.client;

import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.SecurityOptions;

import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login takes the security keys of the dynamic properties that {@link ClientCommandLine}
 * parsed, in every spelling run and the other commands accept, and none of main()'s arguments.
 */
class ClientLoginTest {

    /** As bin/flink-driver builds them, from the unit tests' FLINK_CONF_DIR. */
    private static final Options RUN_OPTIONS =
            DriverRunCommand.runOptions(
                    GlobalConfiguration.loadConfiguration(
                            CliFrontend.getConfigurationDirectoryFromEnv()),
                    CliFrontend.getConfigurationDirectoryFromEnv());

    private static final String KEYTAB = "security.kerberos.login.keytab=/k/alice.keytab";
    private static final String PRINCIPAL = "security.kerberos.login.principal=alice@EXAMPLE.COM";

    @Test
    void dWithoutSpace() {
        Configuration login = login("run", "-D", "-D" + KEYTAB, "app.jar");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_KEYTAB)).isEqualTo("/k/alice.keytab");
    }

    @Test
    void dWithSpaceIsFlinksDynamicPropertyNotDriverMode() {
        ClientCommandLine cl = parse("run", "-D", KEYTAB, "-D", "app.jar");
        assertThat(login(cl).get(SecurityOptions.KERBEROS_LOGIN_KEYTAB))
                .isEqualTo("/k/alice.keytab");
        assertThat(cl.run().driverMode()).isTrue();
        assertThat(cl.run().args()).containsExactly("-D", KEYTAB, "--driver", "app.jar");

        ClientCommandLine flinks = parse("run", "-D", KEYTAB, "app.jar");
        assertThat(flinks.run().driverMode()).as("Flink's own run").isFalse();
        assertThat(login(flinks).get(SecurityOptions.KERBEROS_LOGIN_KEYTAB))
                .isEqualTo("/k/alice.keytab");
    }

    @Test
    void yDWithSpace() {
        Configuration login = login("run", "-yD", KEYTAB, "-D", "-yD", PRINCIPAL, "app.jar");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_KEYTAB)).isEqualTo("/k/alice.keytab");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL))
                .isEqualTo("alice@EXAMPLE.COM");
    }

    /** Flink's parser knows no -yDkey=value: run refuses it, and the login does not use it. */
    @Test
    void yDWithoutSpaceIsNoProperty() {
        assertThat(login("run", "-D", "-yD" + PRINCIPAL, "app.jar").toMap()).isEmpty();
        ClientCommandLine status = parse("status", "-yD" + PRINCIPAL, "application_1_0001");
        assertThat(status.properties().toMap()).isEmpty();
        assertThat(status.ownParams()).startsWith("-yD" + PRINCIPAL);
    }

    @Test
    void bareDIsDriverModeAndNoProperty() {
        ClientCommandLine cl = parse("run", "-m", "yarn-cluster", "-D", "-D" + KEYTAB, "app.jar");
        assertThat(cl.run().driverMode()).isTrue();
        assertThat(cl.properties().toMap()).containsOnlyKeys("security.kerberos.login.keytab");
    }

    @Test
    void propertiesAfterTheJarAreMainsArguments() {
        ClientCommandLine cl =
                parse(
                        "run",
                        "-D",
                        "-Dparallelism.default=3",
                        "app.jar",
                        "-D" + KEYTAB,
                        "-yD",
                        PRINCIPAL,
                        "-D",
                        "security.kerberos.login.use-ticket-cache=false");
        Configuration login = login(cl);
        assertThat(login.contains(SecurityOptions.KERBEROS_LOGIN_KEYTAB)).isFalse();
        assertThat(login.contains(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL)).isFalse();
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_USETICKETCACHE)).isTrue();
        // Not a security key: the login leaves it to run, which applies it.
        assertThat(cl.properties().toMap()).containsEntry("parallelism.default", "3");
        assertThat(login.containsKey("parallelism.default")).isFalse();
        assertThat(cl.run().args())
                .endsWith(
                        "app.jar",
                        "-D" + KEYTAB,
                        "-yD",
                        PRINCIPAL,
                        "-D",
                        "security.kerberos.login.use-ticket-cache=false");
    }

    @Test
    void dOverYd() {
        Configuration login =
                login(
                        "run",
                        "-D",
                        "-Dsecurity.kerberos.login.principal=d@EXAMPLE.COM",
                        "-yD",
                        "security.kerberos.login.principal=yd@EXAMPLE.COM",
                        "app.jar");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL)).isEqualTo("d@EXAMPLE.COM");
    }

    @Test
    void dOverYdForOtherCommandsWhateverTheOrder() {
        Configuration login =
                login(
                        "status",
                        "-Dsecurity.kerberos.login.principal=d@EXAMPLE.COM",
                        "-yD",
                        "security.kerberos.login.principal=yd@EXAMPLE.COM",
                        "application_1_0001");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL)).isEqualTo("d@EXAMPLE.COM");
    }

    @Test
    void otherCommandsTakeThemAnywhere() {
        ClientCommandLine cl =
                parse(
                        "status",
                        "--wait",
                        "-D",
                        KEYTAB,
                        "application_1_0001",
                        "-yD",
                        PRINCIPAL,
                        "-Dyarn.view.acls=bob");
        Configuration login = login(cl);
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_KEYTAB)).isEqualTo("/k/alice.keytab");
        assertThat(login.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL))
                .isEqualTo("alice@EXAMPLE.COM");
        assertThat(login.containsKey("yarn.view.acls")).isFalse();
        assertThat(cl.properties().toMap()).containsEntry("yarn.view.acls", "bob");
        assertThat(cl.ownParams()).containsExactly("--wait", "application_1_0001");
        assertThat(cl.run()).isNull();
    }

    @Test
    void aBareDOfAnotherCommandStaysForItToRefuse() {
        ClientCommandLine cl = parse("status", "-D", "application_1_0001");
        assertThat(cl.properties().toMap()).isEmpty();
        assertThat(cl.ownParams()).containsExactly("-D", "application_1_0001");
    }

    @Test
    void optionsThatDoNotParseGiveNoProperties() {
        ClientCommandLine cl = parse("run", "-D", "-D" + KEYTAB, "-c");
        assertThat(cl.properties().toMap()).isEmpty();
    }

    private static ClientCommandLine parse(String... args) {
        return ClientCommandLine.parse(List.of(args), () -> RUN_OPTIONS);
    }

    private static Configuration login(String... args) {
        return login(parse(args));
    }

    private static Configuration login(ClientCommandLine cl) {
        Configuration config = new Configuration();
        ClientLogin.applySecurityProperties(config, cl.properties());
        return config;
    }
}
