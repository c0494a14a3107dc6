package dev.flinkdriver.localyarn;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bin/local-yarn start [--kerberos]|stop|status}: a YARN for laptops and CI; with {@code
 * --kerberos} a Kerberized one with its own KDC and the users {@code alice} and {@code bob}.
 *
 * <p>Exit codes: 0 success (status: running), 1 not running or failed, 2 usage.
 */
public final class LocalYarn {

    private static final String USAGE = "Usage: local-yarn start [--kerberos]|stop|status";

    private LocalYarn() {}

    public static void main(String[] args) throws Exception {
        boolean kerberos =
                args.length == 2 && args[0].equals("start") && args[1].equals("--kerberos");
        if (args.length != 1 && !kerberos) {
            System.err.println(USAGE);
            System.exit(2);
        }
        LocalYarnLayout layout = layoutFromEnvironment();
        LocalYarnCluster cluster =
                new LocalYarnCluster(
                        layout,
                        kerberos
                                || (args[0].equals("status")
                                        && LocalYarnCluster.isKerberized(layout)));
        switch (args[0]) {
            case "start" -> {
                boolean wasRunning = cluster.isRunning();
                long t0 = System.nanoTime();
                try {
                    // A KDC more, and Kerberos logins: give a busy machine more time.
                    cluster.start(8088, Duration.ofSeconds(kerberos ? 180 : 120));
                } catch (Exception e) {
                    System.err.println("local-yarn: " + e.getMessage());
                    System.exit(1);
                }
                if (!wasRunning) {
                    System.err.printf(
                            "local-yarn: started in %.1f s (ZooKeeper serving after %.1f s)%n",
                            (System.nanoTime() - t0) / 1e9, cluster.zookeeperStartSeconds());
                }
                printAddresses(cluster);
            }
            case "status" -> {
                if (!cluster.isRunning()) {
                    System.err.println("local-yarn: not running");
                    System.exit(1);
                }
                printAddresses(cluster);
            }
            case "stop" -> cluster.stop();
            default -> {
                System.err.println(USAGE);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void printAddresses(LocalYarnCluster cluster) throws Exception {
        System.out.println("HADOOP_CONF_DIR=" + cluster.hadoopConfDir());
        System.out.println("ZOOKEEPER_QUORUM=" + cluster.zookeeperQuorum());
        System.out.println("ResourceManager web UI: " + cluster.resourceManagerWebAddress());
        System.out.println("Flink HistoryServer: " + cluster.historyServerWebAddress());
        System.out.println("Container logs: " + cluster.layout().containerLogs());
        System.out.println("Aggregated logs: " + cluster.layout().aggregatedLogs());
        System.out.println("Job archive: " + cluster.layout().jobArchiveDir());
        if (cluster.kerberos().isPresent()) {
            LocalKerberos kerberos = cluster.kerberos().get();
            System.out.println("KRB5_CONF=" + kerberos.krb5Conf());
            System.out.println("KERBEROS_REALM=" + LocalKerberos.REALM);
            System.out.println("KEYTAB_DIR=" + kerberos.keytabDir());
        }
    }

    /** The launcher script passes the distribution's directories as system properties. */
    static LocalYarnLayout layoutFromEnvironment() {
        return new LocalYarnLayout(
                Path.of(System.getProperty("localyarn.dir")),
                Path.of(System.getProperty("localyarn.server.classpath")),
                Path.of(System.getProperty("localyarn.hadoop.classpath")),
                Path.of(System.getProperty("localyarn.flink.classpath")),
                Integer.getInteger("localyarn.node.memory-mb", 16384),
                Integer.getInteger("localyarn.node.vcores", 16),
                Boolean.getBoolean("localyarn.acl.enable"));
    }
}
