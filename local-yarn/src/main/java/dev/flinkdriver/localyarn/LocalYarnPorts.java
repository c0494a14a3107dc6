package dev.flinkdriver.localyarn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

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
        int web = isFree(preferredRmWebPort) ? preferredRmWebPort : freePort();
        int zookeeper =
                preferredRmWebPort > 0 && isFree(ZOOKEEPER_DEFAULT)
                        ? ZOOKEEPER_DEFAULT
                        : freePort();
        int historyServer =
                preferredRmWebPort > 0 && isFree(LocalHistoryServer.DEFAULT_PORT)
                        ? LocalHistoryServer.DEFAULT_PORT
                        : freePort();
        return new LocalYarnPorts(
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                web,
                freePort(),
                freePort(),
                freePort(),
                freePort(),
                zookeeper,
                historyServer);
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
