package dev.flinkdriver.it;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a lost node looks like to YARN: a container's JVM disappears without a word. */
final class LostProcesses {

    private LostProcesses() {}

    /** SIGKILL, then waits until the process is gone. */
    static void kill(ProcessHandle process) {
        assertThat(process.destroyForcibly()).as("SIGKILL to %s", process.pid()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    /**
     * The JVM of the ApplicationMaster (the JobManager) of YARN attempt {@code attempt}, once that
     * attempt runs; found by its container id on this one-host YARN.
     */
    static Optional<ProcessHandle> applicationMaster(ApplicationId id, int attempt)
            throws Exception {
        ApplicationReport report = TestYarn.get().yarnClient().getApplicationReport(id);
        if (report.getCurrentApplicationAttemptId().getAttemptId() != attempt
                || report.getYarnApplicationState() != YarnApplicationState.RUNNING) {
            return Optional.empty();
        }
        ContainerId container =
                TestYarn.get()
                        .yarnClient()
                        .getApplicationAttemptReport(report.getCurrentApplicationAttemptId())
                        .getAMContainerId();
        return applicationMaster(container.toString());
    }

    /** The JVM of the ApplicationMaster in this container, found by its id on the one-host YARN. */
    static Optional<ProcessHandle> applicationMaster(String container) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(
                        p -> {
                            String line = p.info().commandLine().orElse("");
                            return line.contains(container + "/")
                                    && line.contains("YarnDriverClusterEntrypoint");
                        })
                .findFirst();
    }
}
