package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CommonConfigurationKeysPublic;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A real YARN on this machine: a ResourceManager and one or more NodeManagers ({@link
 * LocalNodeManager}), each in its own JVM started from Hadoop's own main classes, a ZooKeeper
 * server for Flink's high availability in a third, and Flink's HistoryServer over the driver
 * applications' archives in a fourth.
 *
 * <p>Separate JVMs, not one MiniYARNCluster JVM: in one JVM Guice's static servlet filter lets the
 * NodeManager's web app take over the ResourceManager's port, so the RM web UI and its REST API
 * answer 404. The daemons outlive the JVM that started them; pid files track them.
 */
public final class LocalYarnCluster {

    private static final String RM = "resourcemanager";
    private static final String ZK = LocalZooKeeper.DAEMON;

    private static final String HS = LocalHistoryServer.DAEMON;

    private static final String KDC = LocalKerberos.KDC_DAEMON;

    private static final String HISTORY_SERVER_LOG4J = "log4j2-historyserver.properties";

    private final LocalYarnLayout layout;

    private final LocalZooKeeper zookeeper;

    private final LocalHistoryServer historyServer;

    /** The KDC and Kerberos settings of a Kerberized local YARN; null for a plain one. */
    private final LocalKerberos kerberos;

    /** Length of each NodeManager's log when the latest start launched it (Kerberos only). */
    private final Map<String, Long> nodeManagerLogStart = new HashMap<>();

    /** When each daemon's JVM of the latest start was launched, {@link System#nanoTime}. */
    private final Map<String, Long> launchNanos = new HashMap<>();

    /** Seconds from launching ZooKeeper's JVM until it answered, of the latest start. */
    private double zookeeperStartSeconds = -1;

    public LocalYarnCluster(LocalYarnLayout layout) {
        this(layout, false);
    }

    /**
     * A local YARN with Kerberos on when {@code kerberized}: a KDC in a JVM of its own, and every
     * daemon logging in from a keytab (see {@link LocalKerberos}).
     */
    public LocalYarnCluster(LocalYarnLayout layout, boolean kerberized) {
        this.layout = layout;
        this.zookeeper = new LocalZooKeeper(layout);
        this.historyServer = new LocalHistoryServer(layout);
        this.kerberos = kerberized ? LocalKerberos.of(layout) : null;
    }

    /** Whether the local YARN in {@code layout} was started with Kerberos (its KDC's pid file). */
    public static boolean isKerberized(LocalYarnLayout layout) {
        return Files.exists(layout.pidFile(LocalKerberos.KDC_DAEMON));
    }

    /** The Kerberos files of a Kerberized local YARN: krb5.conf and the users' keytabs. */
    public Optional<LocalKerberos> kerberos() {
        return Optional.ofNullable(kerberos);
    }

    public LocalYarnLayout layout() {
        return layout;
    }

    /** Starts the local YARN with one NodeManager, or what of it does not run. */
    public List<String> start(int preferredRmWebPort, Duration timeout) throws IOException {
        return start(preferredRmWebPort, 0, timeout);
    }

    /**
     * Starts the daemons with {@code nodeManagers} NodeManagers (0: as many as before, 1 at the
     * first start) and returns once every NodeManager has registered, ZooKeeper serves and the
     * HistoryServer answers.
     *
     * <p>On a local YARN of which some daemon still runs, only the daemons that do not run are
     * started, with the configuration, ports and state they had: a ResourceManager or NodeManager
     * killed on purpose comes back as the same daemon (the ResourceManager recovers its
     * applications from its state store). NodeManagers beyond {@code nodeManagers} are stopped.
     *
     * @return the daemons started
     */
    public List<String> start(int preferredRmWebPort, int nodeManagers, Duration timeout)
            throws IOException {
        boolean fresh = daemonNames(configuredNodeManagers()).stream().noneMatch(this::isAlive);
        int count = nodeManagers > 0 ? nodeManagers : fresh ? 1 : configuredNodeManagers();
        if (kerberos != null && count > 1) {
            // Its readiness check reads the one NodeManager's log (see nodeManagersRegistered).
            throw new IOException("A Kerberized local YARN runs one NodeManager");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LocalYarnPorts ports = null;
        if (fresh) {
            stop(); // pid files of daemons that died
            ports = configure(preferredRmWebPort, deadline);
        }
        for (int n = 1; n <= count; n++) {
            LocalNodeManager nm = new LocalNodeManager(layout, n);
            if (ports != null && n == 1) {
                nm.configure(ports.firstNodeManager());
            } else if (fresh || !nm.isConfigured()) {
                nm.configure(LocalYarnPorts.freePorts(4));
            }
        }
        stopNodeManagersAbove(count);
        Files.writeString(layout.nodeManagerCountFile(), Integer.toString(count));

        long launchedMillis = System.currentTimeMillis();
        List<String> launched = new ArrayList<>();
        for (String daemon : daemonNames(count)) {
            if (!isAlive(daemon)) {
                nodeManagerLogStart.put(daemon, logLength(daemon));
                launch(daemon);
                launched.add(daemon);
            }
        }

        while (System.nanoTime() < deadline) {
            for (String daemon : launched) {
                if (!isAlive(daemon)) {
                    if (fresh) {
                        stop();
                    }
                    throw new IOException(
                            "The local YARN "
                                    + daemon
                                    + " exited during start-up, see "
                                    + layout.daemonLogs().resolve(daemon + ".log"));
                }
            }
            if (launched.contains(ZK) && zookeeperStartSeconds < 0 && zookeeper.serves()) {
                zookeeperStartSeconds = (System.nanoTime() - launchNanos.get(ZK)) / 1e9;
            }
            if (nodeManagersRegistered(count, launched, launchedMillis)
                    && zookeeper.serves()
                    && historyServer.serves()) {
                return launched;
            }
            sleep(zookeeperStartSeconds < 0 && launched.contains(ZK) ? 50 : 250);
        }
        if (fresh) {
            stop();
        }
        throw new IOException(
                "The local YARN did not come up within "
                        + timeout.toSeconds()
                        + " s, see "
                        + layout.daemonLogs());
    }

    /** Writes the configuration of a fresh local YARN, with new ports and no recovered state. */
    private LocalYarnPorts configure(int preferredRmWebPort, long deadline) throws IOException {
        LocalYarnPorts ports = LocalYarnPorts.pickFree(preferredRmWebPort);
        Files.createDirectories(layout.confDir());
        Files.createDirectories(layout.daemonLogs());
        Files.createDirectories(layout.containerLogs());
        // A fresh start is a new YARN: the applications of the one before are gone with their
        // containers, and recovering them would only start them again.
        deleteRecursively(layout.resourceManagerState());
        deleteRecursively(layout.confDir());
        Files.createDirectories(layout.confDir());
        Map<String, String> yarnSite = HadoopSiteFiles.yarnSite(layout, ports);
        Map<String, String> coreSite = HadoopSiteFiles.coreSite(layout);
        if (kerberos != null) {
            startKdc(deadline);
            yarnSite.putAll(kerberos.yarnSite());
            coreSite.putAll(kerberos.coreSite());
        }
        HadoopSiteFiles.write(layout.confDir().resolve("yarn-site.xml"), yarnSite);
        HadoopSiteFiles.write(layout.confDir().resolve("core-site.xml"), coreSite);
        HadoopSiteFiles.write(
                layout.confDir().resolve("capacity-scheduler.xml"),
                HadoopSiteFiles.capacityScheduler(layout));
        Files.writeString(layout.confDir().resolve("log4j2.properties"), daemonLog4j());
        Files.writeString(layout.confDir().resolve(HISTORY_SERVER_LOG4J), historyServerLog4j());
        Files.writeString(layout.webAddressFile(), "http://localhost:" + ports.rmWeb());
        zookeeper.configure(ports.zookeeper());
        historyServer.configure(ports.historyServer());
        zookeeperStartSeconds = -1;
        return ports;
    }

    /**
     * True when the daemons live, the ResourceManager reports every NodeManager running, ZooKeeper
     * serves and the HistoryServer answers.
     */
    public boolean isRunning() {
        int count = configuredNodeManagers();
        return daemonNames(count).stream().allMatch(this::isAlive)
                && kdcAlive()
                && nodeManagersRegistered(count, List.of(), 0)
                && zookeeper.serves()
                && historyServer.serves();
    }

    /**
     * Each daemon of the local YARN and whether it runs ({@code running}, or {@code not running}),
     * in start order; NodeManagers with their YARN node id.
     */
    public Map<String, String> daemonStates() {
        Map<String, String> states = new LinkedHashMap<>();
        if (kerberos != null) {
            states.put(KDC, isAlive(KDC) ? "running" : "not running");
        }
        int count = configuredNodeManagers();
        Set<Integer> registered = runningNodePorts().keySet();
        String unregistered =
                isAlive(RM) && !registered.isEmpty()
                        ? " not registered in YARN"
                        : " (the ResourceManager does not answer)";
        for (String daemon : daemonNames(count)) {
            String state = isAlive(daemon) ? "running" : "not running";
            if (daemon.startsWith("nodemanager-")) {
                int n = Integer.parseInt(daemon.substring("nodemanager-".length()));
                try {
                    int port = new LocalNodeManager(layout, n).port();
                    state +=
                            ", node localhost:"
                                    + port
                                    + (registered.contains(port)
                                            ? " RUNNING in YARN"
                                            : unregistered);
                } catch (IOException | RuntimeException e) {
                    state += ", not configured";
                }
            }
            states.put(daemon, state);
        }
        return states;
    }

    /** Stops the daemons and every container process they left, by PID. */
    public void stop() throws IOException {
        List<String> daemons = new ArrayList<>(daemonNames(configuredNodeManagers()));
        daemons.add(KDC);
        // Pid files of NodeManagers beyond the configured count, and the one NodeManager of a local
        // YARN started before NodeManagers were numbered.
        try (var files = Files.list(layout.dir())) {
            files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith("nodemanager") && f.endsWith(".pid"))
                    .map(f -> f.substring(0, f.length() - ".pid".length()))
                    .filter(d -> !daemons.contains(d))
                    .forEach(daemons::add);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        stopDaemons(daemons);
    }

    private void stopNodeManagersAbove(int count) throws IOException {
        List<String> extra = new ArrayList<>();
        for (int n = count + 1; n <= Math.max(count, configuredNodeManagers()); n++) {
            extra.add(new LocalNodeManager(layout, n).daemon());
        }
        stopDaemons(extra);
    }

    private void stopDaemons(List<String> daemons) throws IOException {
        List<ProcessHandle> all = new ArrayList<>();
        for (String daemon : daemons) {
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
        for (String daemon : daemons) {
            Files.deleteIfExists(layout.pidFile(daemon));
        }
    }

    /**
     * Kills a daemon with SIGKILL, and with a NodeManager every container process it runs, the way
     * a lost host takes them: the containers are found as the NodeManager's descendants before it
     * dies (afterwards they belong to init). Returns the pids killed, the daemon's first.
     */
    public List<Long> kill(String daemon) {
        ProcessHandle process =
                pid(daemon)
                        .flatMap(ProcessHandle::of)
                        .orElseThrow(() -> new IllegalStateException(daemon + " does not run"));
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        process.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
        return all.stream().map(ProcessHandle::pid).toList();
    }

    /** The daemon names of a local YARN with {@code nodeManagers} NodeManagers, in start order. */
    private List<String> daemonNames(int nodeManagers) {
        List<String> names = new ArrayList<>(List.of(ZK, RM));
        for (int n = 1; n <= nodeManagers; n++) {
            names.add(new LocalNodeManager(layout, n).daemon());
        }
        names.add(HS);
        return names;
    }

    /** The NodeManager count of the latest start, 1 when none was recorded. */
    public int configuredNodeManagers() {
        try {
            return Integer.parseInt(Files.readString(layout.nodeManagerCountFile()).trim());
        } catch (IOException | NumberFormatException e) {
            return 1;
        }
    }

    /**
     * The YARN node id port of NodeManager {@code number} (from 1): with {@code localhost}, how
     * YARN names the node.
     */
    public int nodeManagerPort(int number) throws IOException {
        return new LocalNodeManager(layout, number).port();
    }

    /** The daemon name of NodeManager {@code number} (from 1), for {@link #kill}. */
    public String nodeManagerDaemon(int number) {
        return new LocalNodeManager(layout, number).daemon();
    }

    private void launch(String daemon) throws IOException {
        launchNanos.put(daemon, System.nanoTime());
        if (daemon.equals(ZK)) {
            launch(ZK, "-Xmx128m", LocalZooKeeper.MAIN_CLASS, zookeeper.args());
        } else if (daemon.equals(RM)) {
            launch(RM, "-Xmx384m", "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager");
        } else if (daemon.equals(HS)) {
            launch(
                    HS,
                    "-Xmx256m",
                    LocalHistoryServer.MAIN_CLASS,
                    historyServer.args(),
                    historyServer.classpath());
        } else {
            int n = Integer.parseInt(daemon.substring("nodemanager-".length()));
            LocalNodeManager nm = new LocalNodeManager(layout, n);
            // Its own yarn-site.xml first: Hadoop reads the first one on the class path.
            launch(
                    daemon,
                    "-Xmx384m",
                    LocalNodeManager.MAIN_CLASS,
                    List.of(),
                    nm.confDir()
                            + ":"
                            + layout.confDir()
                            + ":"
                            + (kerberos != null
                                    ? LabSecureIo.classpathEntry(layout.serverClasspathDir()) + ":"
                                    : "")
                            + layout.serverClasspathDir()
                            + "/*");
        }
    }

    /**
     * True when the ResourceManager reports NodeManagers 1 to {@code count} RUNNING, those in
     * {@code launched} with a health report after {@code launchedMillis}: a NodeManager killed a
     * moment ago stays RUNNING in YARN until its liveness expires, and only a report of the new
     * process tells that it is back.
     */
    private boolean nodeManagersRegistered(int count, List<String> launched, long launchedMillis) {
        if (kerberos != null) {
            return nodeRegisteredByLog(new LocalNodeManager(layout, 1).daemon());
        }
        Map<Integer, Long> running = runningNodePorts();
        for (int n = 1; n <= count; n++) {
            LocalNodeManager nm = new LocalNodeManager(layout, n);
            try {
                Long reported = running.get(nm.port());
                if (reported == null
                        || (launched.contains(nm.daemon()) && reported < launchedMillis)) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        return true;
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
        launch(
                daemon,
                heap,
                mainClass,
                args,
                layout.confDir() + ":" + layout.serverClasspathDir() + "/*");
    }

    /** {@code classpath} with the site files' directories first. */
    private void launch(
            String daemon, String heap, String mainClass, List<String> args, String classpath)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.add("-XX:+UseSerialGC");
        // Guice/cglib in the RM web app reflect into java.lang on Java 17.
        cmd.addAll(JvmFlags.jdk17());
        if (kerberos != null) {
            cmd.addAll(kerberos.jvmFlags(daemon));
        }
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
        cmd.add(classpath);
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

    /**
     * Starts the KDC and waits until it has written the principals' keytabs and {@code krb5.conf},
     * which the other daemons need before they start.
     */
    private void startKdc(long deadline) throws IOException {
        kerberos.reset();
        launch(KDC, "-Xmx128m", LocalKdc.class.getName(), List.of(kerberos.dir().toString()));
        while (!Files.exists(kerberos.krb5Conf())) {
            if (!isAlive(KDC) || System.nanoTime() > deadline) {
                stop();
                throw new IOException(
                        "The local YARN's KDC did not start, see "
                                + layout.daemonLogs().resolve(KDC + ".out"));
            }
            sleep(100);
        }
    }

    private boolean kdcAlive() {
        return kerberos == null || isAlive(KDC);
    }

    /**
     * Whether the NodeManager has registered with the ResourceManager. A Kerberized YARN answers
     * only clients with Kerberos credentials, which this JVM (bin/local-yarn's, or a test's, shared
     * with other tests) should not need: there the NodeManager's log tells.
     */
    private boolean nodeRegisteredByLog(String nodeManager) {
        try {
            String log = Files.readString(layout.daemonLogs().resolve(nodeManager + ".log"));
            int registered = log.lastIndexOf("Registered with ResourceManager");
            return registered
                    >= Math.max(
                            nodeManagerLogStart.getOrDefault(nodeManager, 0L),
                            log.lastIndexOf("STARTUP_MSG:"));
        } catch (IOException e) {
            return false;
        }
    }

    private long logLength(String daemon) {
        try {
            return Files.size(layout.daemonLogs().resolve(daemon + ".log"));
        } catch (IOException e) {
            return 0;
        }
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

    /**
     * The ports of the nodes the ResourceManager reports RUNNING, each with its latest health
     * report time; empty while it does not answer.
     */
    private Map<Integer, Long> runningNodePorts() {
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
        Map<Integer, Long> ports = new HashMap<>();
        try (YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(conf);
            yarn.start();
            for (NodeReport node : yarn.getNodeReports(NodeState.RUNNING)) {
                ports.put(node.getNodeId().getPort(), node.getLastHealthReportTime());
            }
        } catch (IOException | YarnException | RuntimeException e) {
            return Map.of();
        }
        return ports;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
