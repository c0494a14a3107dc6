package dev.flinkdriver.localyarn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CompleteApplicationsHistoryServerTest {

    @TempDir Path archives;

    @TempDir Path view;

    @Test
    void showsAnApplicationOnceItsSummaryIsThereAndForgetsRemovedOnes() throws Exception {
        Path running = application("000001a2440a72eb0000000000000002");
        Files.writeString(Files.createDirectories(running.resolve("jobs")).resolve("j1"), "{}");
        Path ended = application("000001a2440a72eb0000000000000004");
        Files.writeString(ended.resolve(CompleteApplicationsHistoryServer.SUMMARY), "{}");

        CompleteApplicationsHistoryServer.link(archives, view);

        Path viewApplications = view.resolve("cluster").resolve("applications");
        assertThat(viewApplications.resolve(ended.getFileName()).resolve("application-summary"))
                .as("the ended application, with its files")
                .exists();
        assertThat(viewApplications.resolve(running.getFileName()))
                .as("the running one, whose summary is still to come")
                .doesNotExist();

        Files.writeString(running.resolve(CompleteApplicationsHistoryServer.SUMMARY), "{}");
        Files.delete(ended.resolve(CompleteApplicationsHistoryServer.SUMMARY));
        Files.delete(ended);
        CompleteApplicationsHistoryServer.link(archives, view);

        assertThat(viewApplications.resolve(running.getFileName()).resolve("jobs/j1")).exists();
        assertThat(
                        Files.exists(
                                viewApplications.resolve(ended.getFileName()),
                                LinkOption.NOFOLLOW_LINKS))
                .as("removed from the archive, gone from the view")
                .isFalse();
    }

    private Path application(String id) throws Exception {
        return Files.createDirectories(
                archives.resolve("cluster").resolve("applications").resolve(id));
    }
}
