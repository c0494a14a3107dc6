package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NodeManager of the local YARN, numbered from 1: a node of its own as YARN sees it ({@code
 * localhost:<port>}), with its own JVM, pid file, ports, local directories and site file. Its
 * {@code conf/nodemanager-<n>/yarn-site.xml} is the shared one with this node's ports and
 * directories; it comes first on the NodeManager's class path. Its container logs go to {@code
 * container-logs/} (node 1) or {@code container-logs-<n>/}: never a directory another node uses,
 * since a NodeManager starting without recovery renames everything in its log directories for
 * deletion, the running applications of other nodes included.
 */
final class LocalNodeManager {

    static final String MAIN_CLASS = "org.apache.hadoop.yarn.server.nodemanager.NodeManager";

    private static final String ADDRESS = "yarn.nodemanager.address";

    private final LocalYarnLayout layout;
    private final int number;

    LocalNodeManager(LocalYarnLayout layout, int number) {
        this.layout = layout;
        this.number = number;
    }

    /** The daemon's name: its pid file, log file and line in {@code status}. */
    String daemon() {
        return "nodemanager-" + number;
    }

    Path confDir() {
        return layout.confDir().resolve(daemon());
    }

    Path containerLogs() {
        return number == 1
                ? layout.containerLogs()
                : layout.dir().resolve(layout.containerLogs().getFileName() + "-" + number);
    }

    boolean isConfigured() {
        return Files.exists(confDir().resolve("yarn-site.xml"));
    }

    /**
     * Writes this node's site file: the shared {@code yarn-site.xml} with {@code ports} (the node's
     * RPC, localizer, web and collector ports, in that order) and its own local directories.
     */
    void configure(int[] ports) throws IOException {
        Configuration shared = new Configuration(false);
        shared.addResource(
                new org.apache.hadoop.fs.Path(layout.confDir().resolve("yarn-site.xml").toUri()));
        Map<String, String> p = new LinkedHashMap<>();
        shared.forEach(e -> p.put(e.getKey(), e.getValue()));
        p.put(ADDRESS, "localhost:" + ports[0]);
        p.put("yarn.nodemanager.localizer.address", "localhost:" + ports[1]);
        p.put("yarn.nodemanager.webapp.address", "localhost:" + ports[2]);
        p.put("yarn.nodemanager.collector-service.address", "localhost:" + ports[3]);
        p.put(
                "yarn.nodemanager.local-dirs",
                layout.dir().resolve("nm-local").resolve(daemon()).toString());
        p.put("yarn.nodemanager.log-dirs", containerLogs().toString());
        Files.createDirectories(confDir());
        HadoopSiteFiles.write(confDir().resolve("yarn-site.xml"), p);
    }

    /** The node's RPC port: with the host, its YARN node id. */
    int port() throws IOException {
        Configuration own = new Configuration(false);
        own.addResource(new org.apache.hadoop.fs.Path(confDir().resolve("yarn-site.xml").toUri()));
        String address = own.get(ADDRESS);
        if (address == null) {
            throw new IOException(daemon() + " has no " + ADDRESS + " in " + confDir());
        }
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
