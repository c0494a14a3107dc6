package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.StepsApp;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three driver applications submitted at once to the local YARN's queue {@code small} (4 GiB, 4
 * vcores, ApplicationMasters limited to half): it admits two, and their JobManagers and drivers
 * fill it, so neither gets a TaskManager for its job and the third waits for an ApplicationMaster
 * slot. YARN counts only JobManagers against that limit, so without {@code
 * driver.container-wait-timeout} they would wait until Flink's slot request timeouts and the
 * driver's restarts are spent, or for ever with a restarting job. With it, an application that got
 * no container of a kind it lacks ends FAILED and says why, which frees room for the others: every
 * application ends, each one that waited with diagnostics naming the queue, and nothing is left
 * running.
 */
@ExtendWith(TestYarn.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FullQueueIT {

    private static final String WAITED = "YARN queue '(root\\.)?small' granted no container for";

    @Test
    void applicationsThatFillTheQueueWithoutTheirTaskManagersEndAndSayWhy() throws Exception {
        String jar = TestJars.jarOf(StepsApp.class).toString();
        List<CompletableFuture<ApplicationId>> submissions = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "FullQueueIT-" + i;
            submissions.add(
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return FlinkDriverCommand.submitDriver(
                                            "-yqu",
                                            "small",
                                            "-ynm",
                                            name,
                                            // JobManager, driver and user TaskManager: 1 GiB each
                                            "-Djobmanager.memory.process.size=1024m",
                                            "-Dtaskmanager.memory.process.size=1024m",
                                            "-Dtaskmanager.numberOfTaskSlots=1",
                                            "-Ddriver.container-wait-timeout=30s",
                                            // The driver's TaskManager is then each admitted
                                            // application's only request until main() runs a
                                            // job: both get theirs, neither its job's.
                                            "-Ddriver.prewarm-taskmanagers=0",
                                            jar,
                                            "1",
                                            "2");
                                } catch (Exception e) {
                                    throw new CompletionException(e);
                                }
                            }));
        }
        List<ApplicationId> apps = new ArrayList<>();
        for (CompletableFuture<ApplicationId> submission : submissions) {
            apps.add(submission.get(5, TimeUnit.MINUTES));
        }

        TestYarn yarn = TestYarn.get();
        List<ApplicationReport> ends = new ArrayList<>();
        for (ApplicationId app : apps) {
            ends.add(yarn.waitForFinalState(app, Duration.ofMinutes(5)));
        }

        for (ApplicationReport end : ends) {
            System.err.printf(
                    "FullQueueIT: %s %s after %d s: %s%n",
                    end.getName(),
                    end.getFinalApplicationStatus(),
                    (end.getFinishTime() - end.getStartTime()) / 1000,
                    end.getDiagnostics());
            if (end.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED) {
                assertThat(end.getDiagnostics()).contains("1 jobs finished");
            } else {
                assertThat(end.getFinalApplicationStatus())
                        .as(end.getDiagnostics())
                        .isEqualTo(FinalApplicationStatus.FAILED);
                assertThat(end.getDiagnostics())
                        .containsPattern(WAITED)
                        .contains("driver.container-wait-timeout: 30 s")
                        .contains("Sizing a queue");
            }
        }
        assertThat(ends)
                .extracting(ApplicationReport::getFinalApplicationStatus)
                .as("the full queue ends some, which lets the rest run")
                .contains(FinalApplicationStatus.FAILED, FinalApplicationStatus.SUCCEEDED);

        ApplicationReport failed =
                ends.stream()
                        .filter(e -> e.getFinalApplicationStatus() == FinalApplicationStatus.FAILED)
                        .findFirst()
                        .orElseThrow();
        FlinkDriverCommand.Result status =
                FlinkDriverCommand.run("status", failed.getApplicationId().toString());
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("Final status: FAILED")
                .containsPattern("Queue: +root\\.small")
                .containsPattern(WAITED);

        for (ApplicationId app : apps) {
            yarn.awaitNothingLeftRunning(app, Duration.ofSeconds(60));
        }
    }
}
