package dev.flinkdriver.it;

import org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.KeeperException;
import org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.Watcher;
import org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.ZooKeeper;
import org.apache.flink.shaded.zookeeper3.org.apache.zookeeper.client.ZKClientConfig;

import java.io.IOException;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * An unauthenticated ZooKeeper client, as anybody on the network has one: it reads only what a
 * node's ACL opens to everyone, and it tells a missing node from one it may not read (ZooKeeper
 * answers NoAuth only for a node that exists). It never logs in to Kerberos (the test JVM must not:
 * see {@link KerberizedTestYarn}).
 */
final class ZooKeeperProbe implements AutoCloseable {

    private final ZooKeeper zk;

    ZooKeeperProbe(String quorum) throws IOException {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
        zk = new ZooKeeper(quorum, 30_000, event -> {}, config);
        await("connected to ZooKeeper at " + quorum)
                .atMost(Duration.ofSeconds(30))
                .until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    }

    boolean exists(String path) throws KeeperException, InterruptedException {
        try {
            return zk.exists(path, (Watcher) null) != null;
        } catch (KeeperException.NoAuthException e) {
            return true;
        }
    }

    /** Whether this unauthenticated client may read the node's data. */
    boolean readableWithoutLogin(String path) throws KeeperException, InterruptedException {
        try {
            zk.getData(path, false, null);
            return true;
        } catch (KeeperException.NoAuthException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
