package dev.flinkdriver.localyarn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What turns the local YARN into a Kerberized one, kept apart from {@link HadoopSiteFiles}: the
 * KDC's files, the daemons' principals, the site keys that switch on Kerberos, service-level
 * authorization and SPNEGO, and the JVM flags and JAAS file of the daemons. Modelled on Hadoop's
 * secure MiniYARNCluster tests and Flink's {@code SecureTestEnvironment}: one host, {@code
 * localhost}, so every service principal is {@code <service>/localhost@EXAMPLE.COM}.
 *
 * <p>Containers run with the DefaultContainerExecutor, as the NodeManager's OS user: a production
 * YARN uses the LinuxContainerExecutor (a setuid binary) to run them as the submitting user. Its
 * NodeManager reads their log files with a SecureIOUtils of its own (see {@link LabSecureIo}).
 */
public final class LocalKerberos {

    static final String ORG_NAME = "EXAMPLE";
    static final String ORG_DOMAIN = "COM";
    public static final String REALM = ORG_NAME + "." + ORG_DOMAIN;
    static final String HOST = "localhost";

    /**
     * ResourceManager, NodeManager, web UIs (SPNEGO), ZooKeeper. Flink's HistoryServer has none: it
     * runs without Hadoop, reads the archives from the local file system and has no SPNEGO.
     */
    static final List<String> SERVICES = List.of("rm", "nm", "HTTP", "zookeeper");

    /** The users who submit and inspect applications. */
    public static final List<String> USERS = List.of("alice", "bob");

    static final String KDC_DAEMON = "kdc";

    private final Path dir;

    LocalKerberos(Path dir) {
        this.dir = dir;
    }

    /** The Kerberos state of the local YARN in {@code layout}. */
    static LocalKerberos of(LocalYarnLayout layout) {
        return new LocalKerberos(layout.dir().resolve("kerberos"));
    }

    Path dir() {
        return dir;
    }

    /** The realm's {@code krb5.conf}, written by the KDC once it serves. */
    public Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /** Holds {@code alice.keytab} and {@code bob.keytab}. */
    public Path keytabDir() {
        return dir.resolve("keytabs");
    }

    public Path userKeytab(String user) {
        return keytabDir().resolve(user + ".keytab");
    }

    Path serviceKeytab() {
        return dir.resolve("services.keytab");
    }

    static String principal(String service) {
        return service + "/" + HOST + "@" + REALM;
    }

    /** Removes the previous start's principals and keytabs: the new KDC creates them anew. */
    void reset() throws IOException {
        Files.deleteIfExists(krb5Conf());
        Files.deleteIfExists(serviceKeytab());
        for (String user : USERS) {
            Files.deleteIfExists(userKeytab(user));
        }
        Files.createDirectories(dir);
    }

    Map<String, String> coreSite() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hadoop.security.authentication", "kerberos");
        p.put("hadoop.security.authorization", "true");
        // SPNEGO on every web UI and REST API of the daemons.
        p.put(
                "hadoop.http.filter.initializers",
                "org.apache.hadoop.security.AuthenticationFilterInitializer");
        p.put("hadoop.http.authentication.type", "kerberos");
        p.put("hadoop.http.authentication.simple.anonymous.allowed", "false");
        p.put("hadoop.http.authentication.kerberos.principal", principal("HTTP"));
        p.put("hadoop.http.authentication.kerberos.keytab", serviceKeytab().toString());
        // The principals have no OS accounts: no group look-up (and no warning per call).
        p.put("hadoop.user.group.static.mapping.overrides", "dr.who=;alice=;bob=;rm=;nm=");
        return p;
    }

    Map<String, String> yarnSite() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("yarn.resourcemanager.principal", principal("rm"));
        p.put("yarn.resourcemanager.keytab", serviceKeytab().toString());
        p.put("yarn.nodemanager.principal", principal("nm"));
        p.put("yarn.nodemanager.keytab", serviceKeytab().toString());
        p.put("yarn.resourcemanager.webapp.spnego-principal", principal("HTTP"));
        p.put("yarn.resourcemanager.webapp.spnego-keytab-file", serviceKeytab().toString());
        p.put("yarn.nodemanager.webapp.spnego-principal", principal("HTTP"));
        p.put("yarn.nodemanager.webapp.spnego-keytab-file", serviceKeytab().toString());
        p.put(
                "yarn.nodemanager.container-executor.class",
                "org.apache.hadoop.yarn.server.nodemanager.DefaultContainerExecutor");
        // Application ACLs by Kerberos identity; only the daemons themselves administer YARN.
        p.put("yarn.acl.enable", "true");
        p.put("yarn.admin.acl", "rm");
        p.put(LocalYarnSite.KRB5_CONF, krb5Conf().toString());
        return p;
    }

    /** The JVM flags of every daemon of a Kerberized local YARN. */
    List<String> jvmFlags(String daemon) throws IOException {
        if (daemon.equals(LocalZooKeeper.DAEMON)) {
            return List.of(
                    "-Djava.security.krb5.conf=" + krb5Conf(),
                    "-Djava.security.auth.login.config=" + zookeeperJaas(),
                    "-Dzookeeper.authProvider.1="
                            + "org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
                    // ACL ids of SASL clients are their short names, e.g. 'alice'.
                    "-Dzookeeper.kerberos.removeHostFromPrincipal=true",
                    "-Dzookeeper.kerberos.removeRealmFromPrincipal=true");
        }
        return List.of("-Djava.security.krb5.conf=" + krb5Conf());
    }

    /** ZooKeeper's server login (JAAS section {@code Server}) from the service keytab. */
    private Path zookeeperJaas() throws IOException {
        Path jaas = dir.resolve("zookeeper-jaas.conf");
        Files.writeString(
                jaas,
                String.join(
                        "\n",
                        "Server {",
                        "  com.sun.security.auth.module.Krb5LoginModule required",
                        "  useKeyTab=true",
                        "  keyTab=\"" + serviceKeytab() + "\"",
                        "  storeKey=true",
                        "  useTicketCache=false",
                        "  principal=\"" + principal("zookeeper") + "\";",
                        "};",
                        ""));
        return jaas;
    }
}
