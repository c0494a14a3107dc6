package dev.flinkdriver.localyarn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Flink's HistoryServer over the applications that have ended only, as the local YARN runs it: in a
 * JVM with the distribution's lib/ (Flink's HistoryServer) and this module's jar.
 *
 * <p>A Flink 2.3 JobManager archives each job of an application as it ends into {@code
 * <archive>/<cluster>/applications/<application>/jobs/}, and the application's summary ({@code
 * application-summary}) once the application has ended. Flink's HistoryServer takes every
 * application directory for an ended application, and for one that still runs logs an error with a
 * stack trace on each refresh ({@code Application archive ... does not exist}) and tries again.
 * Here it reads a view of the archive directory instead, which links an application in once its
 * summary is there: what it never sees it does not fail on, and a broken archive still shows.
 *
 * <p>Arguments: the JobManagers' archive directory, the view directory (the HistoryServer's {@code
 * historyserver.archive.fs.dir}), then Flink's HistoryServer's own.
 */
public final class CompleteApplicationsHistoryServer {

    private static final Logger LOG =
            LoggerFactory.getLogger(CompleteApplicationsHistoryServer.class);

    static final String SUMMARY = "application-summary";

    private static final String APPLICATIONS = "applications";

    private static final String HISTORY_SERVER =
            "org.apache.flink.runtime.webmonitor.history.HistoryServer";

    private CompleteApplicationsHistoryServer() {}

    public static void main(String[] args) throws Throwable {
        Path archives = Path.of(args[0]);
        Path view = Path.of(args[1]);
        Thread linker =
                new Thread(
                        () -> {
                            while (true) {
                                try {
                                    link(archives, view);
                                    Thread.sleep(500);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (IOException | UncheckedIOException e) {
                                    LOG.warn("Could not update the view {}", view, e);
                                }
                            }
                        },
                        "complete-applications");
        linker.setDaemon(true);
        link(archives, view);
        linker.start();
        // flink-runtime-web is on the HistoryServer's class path, not on this module's.
        MethodHandles.publicLookup()
                .findStatic(
                        Class.forName(HISTORY_SERVER),
                        "main",
                        MethodType.methodType(void.class, String[].class))
                .invoke((Object) Arrays.copyOfRange(args, 2, args.length));
    }

    /**
     * Links every application of {@code archives} that has its summary into {@code view} (same
     * layout), and removes the links of applications that are gone.
     */
    static void link(Path archives, Path view) throws IOException {
        for (Path cluster : list(archives)) {
            Path applications = cluster.resolve(APPLICATIONS);
            Path viewApplications = view.resolve(cluster.getFileName()).resolve(APPLICATIONS);
            for (Path application : list(applications)) {
                Path link = viewApplications.resolve(application.getFileName());
                if (Files.exists(application.resolve(SUMMARY)) && !Files.exists(link)) {
                    Files.createDirectories(viewApplications);
                    Files.deleteIfExists(link); // a dangling link of an earlier application
                    Files.createSymbolicLink(link, application.toAbsolutePath());
                }
            }
            for (Path link : list(viewApplications)) {
                if (Files.isSymbolicLink(link) && !Files.exists(link)) {
                    Files.delete(link);
                }
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }
}
