package dev.flinkdriver.localyarn;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local YARN's Flink HistoryServer (flink-runtime-web's, from the distribution's lib/) over the
 * applications that ended in the directory where driver applications archive their jobs and
 * applications. This class writes its configuration and tells whether it serves; {@link
 * LocalYarnCluster} starts and stops its JVM like the other daemons.
 */
final class LocalHistoryServer {

    static final String DAEMON = "historyserver";

    /**
     * Flink's HistoryServer over a view of the archive directory that holds the applications that
     * have ended only: Flink's own logs an error on each refresh for every application that still
     * runs.
     */
    static final String MAIN_CLASS = CompleteApplicationsHistoryServer.class.getName();

    private static final String JAR_PREFIX = "flink-driver-local-yarn-";

    /** Flink's default {@code historyserver.web.port}, taken when free. */
    static final int DEFAULT_PORT = 8082;

    private final LocalYarnLayout layout;

    LocalHistoryServer(LocalYarnLayout layout) {
        this.layout = layout;
    }

    /**
     * Writes the HistoryServer's {@code config.yaml} for a server on {@code port} and returns its
     * arguments.
     */
    List<String> configure(int port) throws IOException {
        Files.createDirectories(layout.jobArchiveDir());
        Path confDir = Files.createDirectories(layout.historyServerDir().resolve("conf"));
        Path view =
                Files.createDirectories(layout.historyServerDir().resolve("ended-applications"));
        Files.writeString(
                confDir.resolve("config.yaml"),
                String.join(
                        "\n",
                        "historyserver.archive.fs.dir: " + view.toUri(),
                        // Flink's default is 10 s: the time from an application's end until
                        // the HistoryServer shows it. Listing one local directory is cheap.
                        "historyserver.archive.fs.refresh-interval: 1 s",
                        "historyserver.web.address: localhost",
                        "historyserver.web.port: " + port,
                        // Flink's default is a fresh directory under /tmp per start.
                        "historyserver.web.tmpdir: " + layout.historyServerDir().resolve("web"),
                        ""));
        Files.writeString(layout.historyServerAddressFile(), "localhost:" + port);
        return args();
    }

    /** The server's arguments, once {@link #configure} has written its configuration. */
    List<String> args() {
        return List.of(
                layout.jobArchiveDir().toString(),
                layout.historyServerDir().resolve("ended-applications").toString(),
                "--configDir",
                layout.historyServerDir().resolve("conf").toString());
    }

    /**
     * The distribution's lib/, with Flink's HistoryServer, and this module's jar from the daemons'
     * class path, with {@link CompleteApplicationsHistoryServer}; none of Hadoop's jars.
     */
    String classpath() throws IOException {
        try (Stream<Path> jars = Files.list(layout.serverClasspathDir())) {
            Path own =
                    jars.filter(j -> j.getFileName().toString().startsWith(JAR_PREFIX))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    "No "
                                                            + JAR_PREFIX
                                                            + "*.jar in "
                                                            + layout.serverClasspathDir()));
            return layout.flinkLibDir() + "/*" + File.pathSeparator + own;
        }
    }

    /** {@code host:port}, the value of Flink's {@code historyserver.web.address} and port. */
    String address() throws IOException {
        return Files.readString(layout.historyServerAddressFile()).trim();
    }

    /** True when the HistoryServer's REST API answers. */
    boolean serves() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<Void> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create("http://" + address() + "/config"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
