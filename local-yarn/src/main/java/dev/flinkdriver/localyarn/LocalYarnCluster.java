package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real YARN on this machine: a ResourceManager and a NodeManager, each in its own JVM started
 * from Hadoop's own main classes, a ZooKeeper server for Flink's high availability in a third, and
 * Flink's HistoryServer over the driver applications' archives in a fourth.
 *
 * <p>Separate JVMs, not one MiniYARNCluster JVM: in one JVM Guice's static servlet filter lets the
 * NodeManager's web app take over the ResourceManager's port, so the RM web UI and its REST API
 * answer 404. The daemons outlive the JVM that started them; pid files track them.
 */
public final class LocalYarnCluster {

    private static final String RM = "resourcemanager";
    private static final String NM = "nodemanager";
    private static final String ZK = LocalZooKeeper.DAEMON;

    private static final String HS = LocalHistoryServer.DAEMON;

    private static final String HISTORY_SERVER_LOG4J = "log4j2-historyserver.properties";

    private final LocalYarnLayout layout;

    private final LocalZooKeeper zookeeper;

    private final LocalHistoryServer historyServer;

    /** Seconds from launching ZooKeeper's JVM until it answered, of the latest start. */
    private double zookeeperStartSeconds = -1;

    public LocalYarnCluster(LocalYarnLayout layout) {
        this.layout = layout;
        this.zookeeper = new LocalZooKeeper(layout);
        this.historyServer = new LocalHistoryServer(layout);
    }

    public LocalYarnLayout layout() {
        return layout;
    }

    /**
     * Starts the four daemons and returns once the NodeManager has registered, ZooKeeper serves and
     * the HistoryServer answers.
     */
    public void start(int preferredRmWebPort, Duration timeout) throws IOException {
        if (isRunning()) {
            return;
        }
        stop();
        LocalYarnPorts ports = LocalYarnPorts.pickFree(preferredRmWebPort);
        Files.createDirectories(layout.confDir());
        Files.createDirectories(layout.daemonLogs());
        Files.createDirectories(layout.containerLogs());
        HadoopSiteFiles.write(
                layout.confDir().resolve("yarn-site.xml"), HadoopSiteFiles.yarnSite(layout, ports));
        HadoopSiteFiles.write(
                layout.confDir().resolve("core-site.xml"), HadoopSiteFiles.coreSite(layout));
        HadoopSiteFiles.write(
                layout.confDir().resolve("capacity-scheduler.xml"),
                HadoopSiteFiles.capacityScheduler());
        Files.writeString(layout.confDir().resolve("log4j2.properties"), daemonLog4j());
        Files.writeString(layout.confDir().resolve(HISTORY_SERVER_LOG4J), historyServerLog4j());
        Files.writeString(layout.webAddressFile(), "http://localhost:" + ports.rmWeb());

        List<String> zookeeperArgs = zookeeper.configure(ports.zookeeper());
        List<String> historyServerArgs = historyServer.configure(ports.historyServer());

        zookeeperStartSeconds = -1;
        long zookeeperLaunched = System.nanoTime();
        launch(ZK, "-Xmx128m", LocalZooKeeper.MAIN_CLASS, zookeeperArgs);
        launch(RM, "-Xmx384m", "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager");
        launch(NM, "-Xmx384m", "org.apache.hadoop.yarn.server.nodemanager.NodeManager");
        launch(
                HS,
                "-Xmx256m",
                LocalHistoryServer.MAIN_CLASS,
                historyServerArgs,
                layout.flinkLibDir() + "/*");

        long deadline = System.nanoTime() + timeout.toNanos();
        boolean yarnUp = false;
        while (System.nanoTime() < deadline) {
            if (!isAlive(RM) || !isAlive(NM) || !isAlive(ZK) || !isAlive(HS)) {
                String which = !isAlive(RM) ? RM : !isAlive(NM) ? NM : !isAlive(ZK) ? ZK : HS;
                stop();
                throw new IOException(
                        "The local YARN "
                                + which
                                + " exited during start-up, see "
                                + layout.daemonLogs().resolve(which + ".log"));
            }
            if (zookeeperStartSeconds < 0 && zookeeper.serves()) {
                zookeeperStartSeconds = (System.nanoTime() - zookeeperLaunched) / 1e9;
            }
            yarnUp = yarnUp || activeNodes() > 0;
            if (yarnUp && zookeeperStartSeconds >= 0 && historyServer.serves()) {
                return;
            }
            sleep(zookeeperStartSeconds < 0 ? 50 : 250);
        }
        stop();
        throw new IOException(
                "The local YARN did not come up within "
                        + timeout.toSeconds()
                        + " s, see "
                        + layout.daemonLogs());
    }

    /**
     * True when the daemons live, the ResourceManager reports a running node, ZooKeeper serves and
     * the HistoryServer answers.
     */
    public boolean isRunning() {
        return isAlive(RM)
                && isAlive(NM)
                && isAlive(ZK)
                && isAlive(HS)
                && activeNodes() > 0
                && zookeeper.serves()
                && historyServer.serves();
    }

    /** Stops the daemons and every container process they left, by PID. */
    public void stop() throws IOException {
        List<ProcessHandle> all = new ArrayList<>();
        for (String daemon : List.of(NM, RM, ZK, HS)) {
            pid(daemon)
                    .flatMap(ProcessHandle::of)
                    .ifPresent(
                            h -> {
                                h.descendants().forEach(all::add);
                                all.add(h);
                            });
        }
        for (ProcessHandle h : all) {
            h.destroy();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        Files.deleteIfExists(layout.pidFile(RM));
        Files.deleteIfExists(layout.pidFile(NM));
        Files.deleteIfExists(layout.pidFile(ZK));
        Files.deleteIfExists(layout.pidFile(HS));
    }

    /**
     * Starts the ZooKeeper server again on its port and data directory, e.g. after a test killed it
     * ({@link #zookeeperProcess}), and returns once it serves. Sessions it had are restored from
     * its data directory and expire unless their clients come back in time, as on a real ensemble.
     */
    public void startZooKeeper(Duration timeout) throws IOException {
        if (isAlive(ZK)) {
            return;
        }
        launch(ZK, "-Xmx128m", LocalZooKeeper.MAIN_CLASS, zookeeper.configuredArguments());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!zookeeper.serves()) {
            if (!isAlive(ZK) || System.nanoTime() > deadline) {
                throw new IOException(
                        "The local YARN's ZooKeeper did not serve again within "
                                + timeout.toSeconds()
                                + " s, see "
                                + layout.daemonLogs().resolve(ZK + ".log"));
            }
            sleep(50);
        }
    }

    /** The ZooKeeper server's JVM, while it runs. */
    public Optional<ProcessHandle> zookeeperProcess() {
        return pid(ZK).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    }

    public Path hadoopConfDir() {
        return layout.confDir();
    }

    public String resourceManagerWebAddress() throws IOException {
        return Files.readString(layout.webAddressFile()).trim();
    }

    /** The ZooKeeper server's {@code host:port}, for {@code high-availability.zookeeper.quorum}. */
    public String zookeeperQuorum() throws IOException {
        return zookeeper.quorum();
    }

    /** The HistoryServer's web UI and REST API, {@code http://host:port}. */
    public String historyServerWebAddress() throws IOException {
        return "http://" + historyServer.address();
    }

    /** Seconds ZooKeeper took to serve in the latest {@link #start}; -1 when it did not start. */
    public double zookeeperStartSeconds() {
        return zookeeperStartSeconds;
    }

    private void launch(String daemon, String heap, String mainClass) throws IOException {
        launch(daemon, heap, mainClass, List.of());
    }

    private void launch(String daemon, String heap, String mainClass, List<String> args)
            throws IOException {
        launch(daemon, heap, mainClass, args, layout.serverClasspathDir() + "/*");
    }

    private void launch(
            String daemon, String heap, String mainClass, List<String> args, String classpath)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.add("-XX:+UseSerialGC");
        // Guice/cglib in the RM web app reflect into java.lang on Java 17.
        cmd.addAll(JvmFlags.jdk17());
        cmd.add(
                "-Dlog4j.configurationFile="
                        + layout.confDir()
                                .resolve(
                                        daemon.equals(HS)
                                                ? HISTORY_SERVER_LOG4J
                                                : "log4j2.properties"));
        cmd.add("-Dlocal.yarn.log.file=" + layout.daemonLogs().resolve(daemon + ".log"));
        cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(layout.dir().resolve("tmp")));
        cmd.add("-Dproc_" + daemon);
        cmd.add("-cp");
        cmd.add(layout.confDir() + ":" + classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("HADOOP_CONF_DIR", layout.confDir().toString());
        pb.environment().put("YARN_CONF_DIR", layout.confDir().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(layout.daemonLogs().resolve(daemon + ".out").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        Files.writeString(layout.pidFile(daemon), Long.toString(p.pid()));
    }

    private boolean isAlive(String daemon) {
        return pid(daemon).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    private Optional<Long> pid(String daemon) {
        try {
            Path f = layout.pidFile(daemon);
            return Files.exists(f)
                    ? Optional.of(Long.parseLong(Files.readString(f).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Running NodeManagers as the ResourceManager counts them, 0 while it does not answer. */
    private int activeNodes() {
        YarnConfiguration conf = new YarnConfiguration(new Configuration(false));
        conf.addResource(
                new org.apache.hadoop.fs.Path(layout.confDir().resolve("yarn-site.xml").toUri()));
        // start() polls: one failed call must return at once, not after Hadoop's retries.
        conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 1000);
        conf.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 200);
        conf.setInt(CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_KEY, 0);
        conf.setInt(
                CommonConfigurationKeysPublic.IPC_CLIENT_CONNECT_MAX_RETRIES_ON_SOCKET_TIMEOUTS_KEY,
                0);
        try (YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(conf);
            yarn.start();
            return yarn.getYarnClusterMetrics().getNumNodeManagers();
        } catch (IOException | YarnException | RuntimeException e) {
            return 0;
        }
    }

    private static String daemonLog4j() {
        return String.join(
                "\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:local.yarn.log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                "logger.jetty.name = org.eclipse.jetty",
                "logger.jetty.level = WARN",
                "");
    }

    /**
     * Flink's HistoryServer logs an error with a stack trace on every refresh (each second here)
     * for each application that still runs: its archive directory has job archives but no
     * application summary yet. A rolling log keeps that from filling the disk.
     */
    private static String historyServerLog4j() {
        return String.join(
                "\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = RollingFile",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:local.yarn.log.file}",
                "appender.file.filePattern = ${sys:local.yarn.log.file}.%i",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                "appender.file.policies.type = Policies",
                "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size = 20MB",
                "appender.file.strategy.type = DefaultRolloverStrategy",
                "appender.file.strategy.max = 2",
                "");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
