package dev.flinkdriver.localyarn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** The ports of one local YARN; free ones are picked so that several can run side by side. */
record LocalYarnPorts(
        int rm,
        int scheduler,
        int tracker,
        int admin,
        int rmWeb,
        int nm,
        int localizer,
        int nmWeb,
        int collector,
        int zookeeper,
        int historyServer) {

    /**
     * ZooKeeper's usual port, taken when the RM web UI gets its usual one and 2181 is free; the
     * HistoryServer's likewise.
     */
    static final int ZOOKEEPER_DEFAULT = 2181;

    static LocalYarnPorts pickFree(int preferredRmWebPort) {
        // All sockets stay open until every port is picked: closed one by one, the kernel may hand
        // the same ephemeral port out twice, and a daemon then fails to bind.
        List<ServerSocket> held = new ArrayList<>();
        try {
            int web = isFree(preferredRmWebPort) ? preferredRmWebPort : freePort(held);
            int zookeeper =
                    preferredRmWebPort > 0 && isFree(ZOOKEEPER_DEFAULT)
                            ? ZOOKEEPER_DEFAULT
                            : freePort(held);
            int historyServer =
                    preferredRmWebPort > 0 && isFree(LocalHistoryServer.DEFAULT_PORT)
                            ? LocalHistoryServer.DEFAULT_PORT
                            : freePort(held);
            return new LocalYarnPorts(
                    freePort(held),
                    freePort(held),
                    freePort(held),
                    freePort(held),
                    web,
                    freePort(held),
                    freePort(held),
                    freePort(held),
                    freePort(held),
                    zookeeper,
                    historyServer);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // nothing to do: the port is free either way once this JVM exits
                }
            }
        }
    }

    /** {@code count} free ports, all different: those of a NodeManager added later. */
    static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ports[i] = freePort(held);
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // nothing to do: the port is free either way once this JVM exits
                }
            }
        }
    }

    /** The first NodeManager's: RPC, localizer, web, collector. */
    int[] firstNodeManager() {
        return new int[] {nm, localizer, nmWeb, collector};
    }

    private static boolean isFree(int port) {
        if (port <= 0) {
            return false;
        }
        try (ServerSocket ignored = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(List<ServerSocket> held) {
        try {
            ServerSocket s = new ServerSocket(0);
            held.add(s);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
