package dev.flinkdriver.localyarn;

import java.nio.file.Path;

/**
 * Where a local YARN keeps its state, and how big its node is.
 *
 * @param dir working directory: site files, pid files, daemon and container logs, ZooKeeper's data
 * @param serverClasspathDir jars of the ResourceManager and NodeManager
 * @param hadoopClasspathDir Hadoop client jars offered to containers
 */
public record LocalYarnLayout(
        Path dir,
        Path serverClasspathDir,
        Path hadoopClasspathDir,
        int nodeMemoryMb,
        int nodeVcores,
        boolean aclEnabled) {

    public Path confDir() {
        return dir.resolve("conf");
    }

    public Path containerLogs() {
        return dir.resolve("container-logs");
    }

    Path daemonLogs() {
        return dir.resolve("logs");
    }

    Path pidFile(String daemon) {
        return dir.resolve(daemon + ".pid");
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
