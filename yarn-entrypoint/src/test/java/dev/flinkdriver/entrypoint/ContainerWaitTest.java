package dev.flinkdriver.entrypoint;

import dev.flinkdriver.entrypoint.ContainerWait.Kind;
import dev.flinkdriver.entrypoint.ContainerWait.Starved;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerWaitTest {

    private static final long T = 30_000;

    private final ContainerWait wait = new ContainerWait(Duration.ofMillis(T));

    @Test
    void aFullQueueHoldingTheDriverButNoUserTaskManager() {
        wait.requested(Kind.DRIVER, 0);
        wait.granted(Kind.DRIVER, "driver");
        wait.requested(Kind.USER, 1_000);

        assertThat(wait.starved(1_000 + T - 1)).isEmpty();
        assertThat(wait.starved(1_000 + T)).contains(new Starved(Kind.USER, 1_000, 1, 1));
    }

    @Test
    void aPrewarmedTaskManagerGrantedBeforeTheDriver() {
        wait.requested(Kind.USER, 0);
        wait.requested(Kind.DRIVER, 500);
        wait.granted(Kind.USER, "user-1");

        assertThat(wait.starved(500 + T)).contains(new Starved(Kind.DRIVER, 500, 1, 1));
    }

    @Test
    void aGrantedContainerEndsTheWait() {
        wait.requested(Kind.USER, 0);
        wait.granted(Kind.USER, "user-1");
        wait.requested(Kind.USER, 1_000);

        // More TaskManagers while one is held: jobs can run, the queue is busy, not full.
        assertThat(wait.starved(10 * T)).isEmpty();
    }

    @Test
    void aJobThatFailsForWantOfSlotsAndRestartsWaitsOn() {
        wait.requested(Kind.USER, 0);
        wait.withdrawn(Kind.USER, 20_000);
        wait.requested(Kind.USER, 21_000);

        assertThat(wait.starved(T)).contains(new Starved(Kind.USER, 0, 1, 0));
    }

    @Test
    void aPauseLongerThanTheTimeoutStartsANewWait() {
        wait.requested(Kind.USER, 0);
        wait.withdrawn(Kind.USER, 1_000);
        wait.requested(Kind.USER, 1_000 + T + 1);

        assertThat(wait.starved(1_000 + T + 2)).isEmpty();
        assertThat(wait.starved(1_000 + 2 * T + 1)).isPresent();
    }

    @Test
    void nothingPendingIsNoWait() {
        wait.requested(Kind.USER, 0);
        wait.withdrawn(Kind.USER, 1_000);

        assertThat(wait.starved(10 * T)).isEmpty();
    }

    @Test
    void releasingTheLastTaskManagerWhileMoreArePendingStartsAWait() {
        wait.requested(Kind.USER, 0);
        wait.granted(Kind.USER, "user-1");
        wait.requested(Kind.USER, 1_000);
        wait.released("user-1", 5_000);

        assertThat(wait.starved(5_000 + T - 1)).isEmpty();
        assertThat(wait.starved(5_000 + T)).contains(new Starved(Kind.USER, 5_000, 1, 0));
    }

    @Test
    void zeroWaitsForEver() {
        ContainerWait forEver = new ContainerWait(Duration.ZERO);
        forEver.requested(Kind.USER, 0);

        assertThat(forEver.starved(Long.MAX_VALUE / 2)).isEmpty();
    }
}
