package dev.flinkdriver.localyarn;

import org.apache.hadoop.conf.Configuration;

/**
 * What the local YARN's site files tell its clients, read by flink-driver's client: whether a
 * configuration is this YARN's, and where its driver applications' history goes. The local YARN
 * writes these keys and the client reads them, so both take them from here.
 */
public final class LocalYarnSite {

    /**
     * Where this YARN's driver applications archive their jobs: the client's default for Flink's
     * {@code jobmanager.archive.fs.dir} on this YARN.
     */
    public static final String JOB_ARCHIVE_DIR = "flink-driver.local-yarn.job-archive-dir";

    /**
     * This YARN's Flink HistoryServer, {@code host:port}: the client's default for Flink's {@code
     * historyserver.web.address} and {@code historyserver.web.port}, which make an application's
     * final tracking URL point to it.
     */
    public static final String HISTORY_SERVER = "flink-driver.local-yarn.history-server";

    /**
     * The {@code krb5.conf} of a Kerberized local YARN's realm: the client's default for Flink's
     * {@code security.kerberos.krb5-conf.path}, which it also logs in with and ships to the
     * containers.
     */
    public static final String KRB5_CONF = "flink-driver.local-yarn.krb5-conf";

    /** The core-site key declaring the {@code localyarn://} file system. */
    public static final String FILE_SYSTEM_IMPL = "fs." + LocalYarnFileSystem.SCHEME + ".impl";

    private LocalYarnSite() {}

    /** The configuration is the local YARN's: it declares the {@code localyarn://} file system. */
    public static boolean isLocalYarn(Configuration configuration) {
        return configuration.get(FILE_SYSTEM_IMPL) != null;
    }

    /** A path of this machine on the {@code localyarn://} file system every node shares. */
    public static String uri(java.nio.file.Path path) {
        return LocalYarnFileSystem.SCHEME + "://localhost" + path;
    }
}
