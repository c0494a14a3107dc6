package dev.flinkdriver.entrypoint;

import org.apache.flink.runtime.taskexecutor.TaskExecutor;
import org.apache.flink.util.FlinkException;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a JobManager survives of ZooKeeper, and what a resource manager keeps when it loses it. */
class ZooKeeperOutageToleranceTest {

    /** Named as ZooKeeper's, which Flink ships shaded. */
    static class ConnectionLossException extends Exception {}

    /** As Curator's, a subclass of ZooKeeper's. */
    static final class CuratorConnectionLossException extends ConnectionLossException {}

    @Test
    void aLostConnectionIsLoggedAndEveryOtherErrorStaysFatal() {
        List<Throwable> fatal = new ArrayList<>();
        ZooKeeperOutageTolerance tolerance = new ZooKeeperOutageTolerance(fatal::add);

        tolerance.onFatalError(new ConnectionLossException());
        tolerance.onFatalError(new RuntimeException("wrapped", new ConnectionLossException()));
        tolerance.onFatalError(new CuratorConnectionLossException());
        assertThat(fatal).isEmpty();

        IllegalStateException other = new IllegalStateException("broken");
        tolerance.onFatalError(other);
        assertThat(fatal).containsExactly(other);
    }

    /**
     * The seam: {@link LeadershipAwareResourceManager} recognises the disconnect by the words of
     * Flink's TaskExecutor. If a Flink upgrade rewords it, kept TaskManagers would be stopped again
     * after a ZooKeeper loss; this fails first.
     */
    @Test
    void flinksTaskExecutorStillWordsTheDisconnectSo() throws Exception {
        try (var classFile = TaskExecutor.class.getResourceAsStream("TaskExecutor.class")) {
            assertThat(new String(classFile.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("Flink's TaskExecutor's disconnect message after a leader change")
                    .contains(LeadershipAwareResourceManager.LEADER_CHANGED + " to new address");
        }
    }

    @Test
    void aTaskManagerThatLeftForAnotherLeaderKeepsItsContainer() {
        assertThat(
                        LeadershipAwareResourceManager.leftForAnotherLeader(
                                new FlinkException(
                                        "ResourceManager leader changed to new address null")))
                .isTrue();
        assertThat(
                        LeadershipAwareResourceManager.leftForAnotherLeader(
                                new FlinkException("The heartbeat of TaskManager timed out.")))
                .isFalse();
    }
}
