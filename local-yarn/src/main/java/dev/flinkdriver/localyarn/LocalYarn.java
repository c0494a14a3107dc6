package dev.flinkdriver.localyarn;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bin/local-yarn start|stop|status}: a YARN for laptops and CI.
 *
 * <p>Exit codes: 0 success (status: running), 1 not running or failed, 2 usage.
 */
public final class LocalYarn {

    private LocalYarn() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("Usage: local-yarn start|stop|status");
            System.exit(2);
        }
        LocalYarnCluster cluster = new LocalYarnCluster(layoutFromEnvironment());
        switch (args[0]) {
            case "start" -> {
                boolean wasRunning = cluster.isRunning();
                long t0 = System.nanoTime();
                try {
                    cluster.start(8088, Duration.ofSeconds(120));
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
                System.err.println("Usage: local-yarn start|stop|status");
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
