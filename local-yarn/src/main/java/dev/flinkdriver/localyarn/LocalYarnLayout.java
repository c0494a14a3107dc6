package dev.flinkdriver.localyarn;

import java.nio.file.Path;

/**
 * Where a local YARN keeps its state, and how big its node is.
 *
 * @param dir working directory: site files, pid files, daemon and container logs, ZooKeeper's data
 * @param serverClasspathDir jars of the ResourceManager and NodeManager
 * @param hadoopClasspathDir Hadoop client jars offered to containers
 * @param flinkLibDir the distribution's lib/: the class path of Flink's HistoryServer
 */
public record LocalYarnLayout(
        Path dir,
        Path serverClasspathDir,
        Path hadoopClasspathDir,
        Path flinkLibDir,
        int nodeMemoryMb,
        int nodeVcores,
        boolean aclEnabled) {

    public Path confDir() {
        return dir.resolve("conf");
    }

    public Path containerLogs() {
        return dir.resolve("container-logs");
    }

    /**
     * Where driver applications archive their jobs and applications ({@code
     * jobmanager.archive.fs.dir}) and the HistoryServer reads them.
     */
    public Path jobArchiveDir() {
        return dir.resolve("completed-jobs");
    }

    /** Root of YARN's aggregated container logs ({@code yarn.nodemanager.remote-app-log-dir}). */
    public Path aggregatedLogs() {
        return dir.resolve("app-logs");
    }

    /** The HistoryServer's configuration and its local cache of the archives. */
    Path historyServerDir() {
        return dir.resolve("history-server");
    }

    Path historyServerAddressFile() {
        return dir.resolve("history-server-address");
    }

    Path daemonLogs() {
        return dir.resolve("logs");
    }

    Path pidFile(String daemon) {
        return dir.resolve(daemon + ".pid");
    }

    /** How many NodeManagers the local YARN runs: {@code start} brings back as many. */
    Path nodeManagerCountFile() {
        return dir.resolve("nodemanagers");
    }

    /** The ResourceManager's state store, which outlives its JVM (RM recovery). */
    Path resourceManagerState() {
        return dir.resolve("rm-state");
    }

    Path webAddressFile() {
        return dir.resolve("rm-web-address");
    }

    /** The ZooKeeper server's snapshots and transaction logs. */
    Path zookeeperData() {
        return dir.resolve("zookeeper");
    }

    Path zookeeperQuorumFile() {
        return dir.resolve("zookeeper-quorum");
    }
}
