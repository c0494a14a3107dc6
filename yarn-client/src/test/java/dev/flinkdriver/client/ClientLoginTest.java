package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.SecurityOptions;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientLoginTest {

    @Test
    void securityKeysOfTheCommandLineApplyBeforeTheLogin() {
        Configuration config = new Configuration();
        ClientLogin.applySecurityProperties(
                config,
                List.of(
                        "run",
                        "-m",
                        "yarn-cluster",
                        "-D",
                        "-Dsecurity.kerberos.login.keytab=/k/alice.keytab",
                        "-yD",
                        "security.kerberos.login.principal=alice@EXAMPLE.COM",
                        "-Dparallelism.default=3",
                        "app.jar",
                        "-Dsecurity.kerberos.login.use-ticket-cache=false"));

        assertThat(config.get(SecurityOptions.KERBEROS_LOGIN_KEYTAB)).isEqualTo("/k/alice.keytab");
        assertThat(config.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL))
                .isEqualTo("alice@EXAMPLE.COM");
        // Not a security key: run applies it as before; after the jar: main()'s argument.
        assertThat(config.containsKey("parallelism.default")).isFalse();
        assertThat(config.get(SecurityOptions.KERBEROS_LOGIN_USETICKETCACHE)).isTrue();
    }

    @Test
    void yDWithoutSpaceToo() {
        Configuration config = new Configuration();
        ClientLogin.applySecurityProperties(
                config, List.of("run", "-yDsecurity.kerberos.login.principal=bob@EXAMPLE.COM"));
        assertThat(config.get(SecurityOptions.KERBEROS_LOGIN_PRINCIPAL))
                .isEqualTo("bob@EXAMPLE.COM");
    }
}
