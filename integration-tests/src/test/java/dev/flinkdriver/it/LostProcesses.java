package dev.flinkdriver.it;

import java.time.Duration;

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
}
