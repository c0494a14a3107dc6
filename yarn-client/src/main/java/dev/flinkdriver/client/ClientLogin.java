package dev.flinkdriver.client;

import dev.flinkdriver.localyarn.LocalYarnSite;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.runtime.security.SecurityConfiguration;
import org.apache.flink.runtime.security.SecurityUtils;

import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The client's own login, as Flink's CLI does it ({@link SecurityUtils#install}): from {@code
 * security.kerberos.login.keytab} and {@code .principal} wherever they are set ({@code
 * conf/config.yaml}, {@code -Dkey=value}, {@code -yD key=value}), else from the ticket cache of
 * {@code kinit} ({@code KRB5CCNAME}). Flink's CLI installs its security context before it parses
 * the command line, so a keytab given with {@code -D} would be shipped to the cluster but not used
 * by the client itself; here the security keys of the command line ({@link ClientCommandLine}) are
 * applied first.
 */
final class ClientLogin {

    private static final String SECURITY_PREFIX = "security.";

    /** Commands that talk to YARN, and so need credentials on a Kerberized one. */
    private static final Set<String> YARN_COMMANDS =
            Set.of("run", "status", "logs", "list", "cancel", "savepoint", "stop");

    private ClientLogin() {}

    /**
     * Applies the {@code security.*} keys of the command line's dynamic properties to {@code
     * config}, points the JVM's Kerberos at the realm's {@code krb5.conf} and installs the security
     * context.
     */
    static void install(Configuration config, Configuration commandLineProperties)
            throws CliException {
        applySecurityProperties(config, commandLineProperties);
        krb5Conf(config);
        try {
            SecurityUtils.install(new SecurityConfiguration(config));
        } catch (IllegalConfigurationException e) {
            throw CliException.usage(e.getMessage());
        } catch (Exception e) {
            throw new CliException(
                    CliException.USAGE,
                    (UserGroupInformation.isSecurityEnabled()
                                    ? "Cannot log in to Kerberos: "
                                    : "Cannot install Flink's security context: ")
                            + DriverRunCommand.rootMessage(e),
                    e);
        }
    }

    /**
     * On a Kerberized YARN, refuses a command that talks to YARN before it reaches YARN when the
     * client has neither Kerberos credentials nor delegation tokens.
     */
    static void requireCredentials(Configuration config, List<String> args)
            throws CliException, IOException {
        String action = args.isEmpty() ? "" : args.get(0);
        if (!YARN_COMMANDS.contains(action)
                || args.contains("-h")
                || args.contains("--help")
                || !UserGroupInformation.isSecurityEnabled()) {
            return;
        }
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        if (user.hasKerberosCredentials() || user.getCredentials().numberOfTokens() > 0) {
            return;
        }
        throw CliException.usage(
                "YARN requires Kerberos (hadoop.security.authentication: kerberos) and "
                        + user.getShortUserName()
                        + " has no Kerberos credentials: set "
                        + SecurityOptions.KERBEROS_LOGIN_KEYTAB.key()
                        + " and "
                        + SecurityOptions.KERBEROS_LOGIN_PRINCIPAL.key()
                        + " (conf/config.yaml or -D), or log in with kinit (ticket cache,"
                        + " KRB5CCNAME)");
    }

    /**
     * The {@code security.*} keys among the command line's dynamic properties ({@link
     * ClientCommandLine}, which leaves main()'s arguments to main()); the others are the command's.
     */
    static void applySecurityProperties(Configuration config, Configuration commandLine) {
        commandLine
                .toMap()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith(SECURITY_PREFIX)) {
                                config.setString(key, value);
                            }
                        });
    }

    /**
     * Java's Kerberos reads its realm from {@code java.security.krb5.conf}: set it from Flink's
     * {@code security.kerberos.krb5-conf.path} (which Flink also ships to the containers), or on
     * the Kerberized local YARN from its site files, or from {@code KRB5_CONFIG} as kinit reads it.
     */
    private static void krb5Conf(Configuration config) {
        if (!config.contains(SecurityOptions.KERBEROS_KRB5_PATH)) {
            String local = localYarnKrb5Conf(config);
            if (local != null) {
                config.set(SecurityOptions.KERBEROS_KRB5_PATH, local);
            }
        }
        String path = config.get(SecurityOptions.KERBEROS_KRB5_PATH);
        if (path == null) {
            path = System.getenv("KRB5_CONFIG");
        }
        if (path != null && System.getProperty("java.security.krb5.conf") == null) {
            System.setProperty("java.security.krb5.conf", path);
        }
    }

    private static String localYarnKrb5Conf(Configuration config) {
        try {
            YarnConfiguration yarn = YarnClients.configuration(config);
            return LocalYarnSite.isLocalYarn(yarn) ? yarn.get(LocalYarnSite.KRB5_CONF) : null;
        } catch (RuntimeException e) {
            return null; // no Hadoop configuration: nothing to default
        }
    }
}
