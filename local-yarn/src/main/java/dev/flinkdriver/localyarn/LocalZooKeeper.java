package dev.flinkdriver.localyarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The local YARN's ZooKeeper: one standalone server for Flink's high availability, run from Apache
 * ZooKeeper's own main class (Hadoop 3.4.1 brings ZooKeeper 3.8 onto the daemons' class path). This
 * class writes its configuration and tells whether it serves; {@link LocalYarnCluster} starts and
 * stops its JVM like the other daemons.
 */
final class LocalZooKeeper {

    static final String DAEMON = "zookeeper";

    static final String MAIN_CLASS = "org.apache.zookeeper.server.ZooKeeperServerMain";

    private final LocalYarnLayout layout;

    LocalZooKeeper(LocalYarnLayout layout) {
        this.layout = layout;
    }

    /** Writes {@code zoo.cfg} for a server on {@code port} and returns the server's arguments. */
    List<String> configure(int port) throws IOException {
        Files.createDirectories(layout.zookeeperData());
        Path cfg = layout.confDir().resolve("zoo.cfg");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "tickTime=2000",
                        "dataDir=" + layout.zookeeperData(),
                        "clientPort=" + port,
                        "clientPortAddress=localhost",
                        // Flink's sessions of killed JobManagers must expire within a test's
                        // patience; 3.8's minimum is 2 ticks.
                        "maxSessionTimeout=60000",
                        // The admin server would take port 8080 (Jetty); nothing here uses it.
                        "admin.enableServer=false",
                        // ruok is how start and status tell that the server serves.
                        "4lw.commands.whitelist=ruok,srvr",
                        // Snapshots and logs of a throwaway server: purge old ones.
                        "autopurge.snapRetainCount=3",
                        "autopurge.purgeInterval=1",
                        ""));
        Files.writeString(layout.zookeeperQuorumFile(), "localhost:" + port);
        return args();
    }

    /** The server's arguments, once {@link #configure} has written its configuration. */
    List<String> args() {
        return List.of(layout.confDir().resolve("zoo.cfg").toString());
    }

    /**
     * The arguments of a server started again with the {@code zoo.cfg} {@link #configure} wrote.
     */
    List<String> configuredArguments() {
        return List.of(layout.confDir().resolve("zoo.cfg").toString());
    }

    /** {@code host:port}, the value of Flink's {@code high-availability.zookeeper.quorum}. */
    String quorum() throws IOException {
        return Files.readString(layout.zookeeperQuorumFile()).trim();
    }

    /** True when the server answers ZooKeeper's {@code ruok} with {@code imok}. */
    boolean serves() {
        try {
            String[] hostPort = quorum().split(":");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("ruok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                return "imok".equals(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
