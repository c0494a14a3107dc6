package dev.flinkdriver.localyarn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/local-yarn start [--nodemanagers N | --kerberos]|stop|status}: a YARN for laptops and
 * CI; with {@code --kerberos} a Kerberized one with its own KDC and the users {@code alice} and
 * {@code bob}.
 *
 * <p>{@code start} on a local YARN of which some daemon runs starts the others again; {@code
 * status} names each daemon and whether it runs.
 *
 * <p>Exit codes: 0 success (status: every daemon runs), 1 not running or failed, 2 usage.
 */
public final class LocalYarn {

    private static final String USAGE =
            "Usage: local-yarn start [--nodemanagers N | --kerberos] | stop | status";

    /** Each NodeManager takes a JVM of up to 384 MB and offers the node's full size again. */
    private static final int MAX_NODE_MANAGERS = 8;

    private LocalYarn() {}

    public static void main(String[] args) throws Exception {
        int nodeManagers = 0;
        boolean kerberos =
                args.length == 2 && args[0].equals("start") && args[1].equals("--kerberos");
        if (kerberos) {
            nodeManagers = 1;
        } else if (args.length == 3
                && args[0].equals("start")
                && args[1].equals("--nodemanagers")) {
            try {
                nodeManagers = Integer.parseInt(args[2]);
            } catch (NumberFormatException e) {
                nodeManagers = -1;
            }
            if (nodeManagers < 1 || nodeManagers > MAX_NODE_MANAGERS) {
                System.err.println(
                        "local-yarn: --nodemanagers takes a number from 1 to "
                                + MAX_NODE_MANAGERS
                                + ", not "
                                + args[2]);
                System.exit(2);
            }
        } else if (args.length != 1) {
            System.err.println(USAGE);
            System.exit(2);
        }
        LocalYarnLayout layout = layoutFromEnvironment();
        // A running Kerberized local YARN (its KDC runs) stays Kerberized for status and restarts.
        LocalYarnCluster cluster =
                new LocalYarnCluster(layout, kerberos || LocalYarnCluster.isKerberized(layout));
        switch (args[0]) {
            case "start" -> {
                long t0 = System.nanoTime();
                List<String> started = List.of();
                try {
                    // A KDC more, and Kerberos logins: give a busy machine more time.
                    started =
                            cluster.start(
                                    8088, nodeManagers, Duration.ofSeconds(kerberos ? 180 : 120));
                } catch (Exception e) {
                    System.err.println("local-yarn: " + e.getMessage());
                    System.exit(1);
                }
                if (started.contains("resourcemanager") && started.contains("zookeeper")) {
                    System.err.printf(
                            "local-yarn: started in %.1f s (ZooKeeper serving after %.1f s)%n",
                            (System.nanoTime() - t0) / 1e9, cluster.zookeeperStartSeconds());
                } else if (!started.isEmpty()) {
                    System.err.printf(
                            "local-yarn: started %s again in %.1f s%n",
                            String.join(", ", started), (System.nanoTime() - t0) / 1e9);
                }
                printAddresses(cluster);
            }
            case "status" -> {
                Map<String, String> states = cluster.daemonStates();
                if (states.values().stream().noneMatch(s -> s.startsWith("running"))) {
                    System.err.println("local-yarn: not running");
                    System.exit(1);
                }
                states.forEach((daemon, state) -> System.out.printf("%-16s %s%n", daemon, state));
                if (!cluster.isRunning()) {
                    System.err.println(
                            "local-yarn: not every daemon runs; `local-yarn start` starts the"
                                    + " others again");
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
