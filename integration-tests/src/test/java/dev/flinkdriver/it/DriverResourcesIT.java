package dev.flinkdriver.it;

import dev.flinkdriver.it.apps.SlowJobApp;
import dev.flinkdriver.resources.DriverResourceOptions;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The driver's own TaskManager, as YARN and Flink report it. */
@ExtendWith(TestYarn.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DriverResourcesIT {

    private static final Duration APP_TIMEOUT = Duration.ofMinutes(3);

    private static final long USER_TASK_MANAGER_MB = 1280;

    @Test
    void driverRunsAloneInAContainerOfItsSizeAndUserJobsUseTaskManagersOfTheirs() throws Exception {
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "--driverheapmemory",
                        "3000",
                        "--drivercpus",
                        "2",
                        "-ytm",
                        "1024",
                        "-ys",
                        "1",
                        TestJars.jarOf(SlowJobApp.class).toString(),
                        "wait",
                        "25");
        String rest = TestYarn.get().awaitRunning(id).getOriginalTrackingUrl();

        JsonNode userJob = awaitJob(rest, ": slow-job", "RUNNING");
        JsonNode driverJob =
                awaitJob(rest, "Flink Driver: " + SlowJobApp.class.getName(), "RUNNING");

        List<ContainerReport> running = runningTaskManagerContainers(id);
        // 3000 heap + 64 framework heap + 64 framework off-heap + 192 metaspace = 3320, overhead
        // 10 % of the process = 368: 3688 MB, 3840 on YARN's 256 MB steps (driver.taskmanager.*
        // defaults; Flink's TaskManager sizes would make it 4096).
        assertThat(running)
                .as("the driver's container: 3840 MB with 2 vcores, exactly one")
                .filteredOn(c -> c.getAllocatedResource().getMemorySize() >= 3000)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.getAllocatedResource().getVirtualCores()).isEqualTo(2);
                            assertThat(c.getAllocatedResource().getMemorySize()).isEqualTo(3840);
                        });
        assertThat(running)
                .as("user TaskManagers at the -ytm size")
                .filteredOn(c -> c.getAllocatedResource().getMemorySize() < 3000)
                .isNotEmpty()
                .allSatisfy(
                        c -> assertThat(c.getAllocatedResource().getMemorySize()).isEqualTo(1024));

        Set<String> driverTms = taskManagersOf(rest, driverJob.get("jid").asText());
        Set<String> userTms = taskManagersOf(rest, userJob.get("jid").asText());
        assertThat(driverTms).hasSize(1);
        assertThat(userTms).doesNotContainAnyElementsOf(driverTms);
        JsonNode driverTm = FlinkRest.get(rest, "/taskmanagers/" + driverTms.iterator().next());
        assertThat(driverTm.get("slotsNumber").asInt())
                .as("the driver TaskManager's slots")
                .isEqualTo(1);

        // The JobManager, YARN's ApplicationMaster (container 1), as the RM UI shows it:
        // driver.jobmanager.process.size's default, not conf/config.yaml's 1024m.
        assertThat(containers(id))
                .as("the JobManager's container")
                .filteredOn(DriverResourcesIT::isApplicationMaster)
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.getAllocatedResource().getMemorySize())
                                        .isEqualTo(
                                                DriverResourceOptions.JOB_MANAGER_PROCESS_SIZE
                                                        .defaultValue()
                                                        .getMebiBytes()));

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);

        // driver.taskmanager.jvm-options: on the driver's TaskManager only (Flink logs each JVM's
        // options at its start).
        Path logs = TestYarn.get().containerLogs().resolve(id.toString());
        assertThat(taskManagerLog(logs, driverTms.iterator().next()))
                .as("the driver TaskManager's JVM options")
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        for (String userTm : userTms) {
            assertThat(taskManagerLog(logs, userTm))
                    .as("a user TaskManager's JVM options")
                    .doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        }
    }

    /**
     * driver.class-data-sharing: a node records a role's classes in its first container and dumps
     * the archive in its second, so a few applications on the test YARN's NodeManagers reach one
     * whose three JVMs all map the archive of their role (in the whole suite, the first one does).
     */
    @Test
    void everyContainerJvmMapsTheClassDataArchiveOfItsRole() throws Exception {
        Map<String, String> mapped = Map.of();
        for (int app = 1; app <= 5 && !eachMapsItsRole(mapped); app++) {
            ApplicationId id =
                    FlinkDriverCommand.submitDriver(
                            TestJars.jarOf(SlowJobApp.class).toString(), "wait", "15");
            String rest = TestYarn.get().awaitRunning(id).getOriginalTrackingUrl();
            JsonNode driverJob =
                    awaitJob(rest, "Flink Driver: " + SlowJobApp.class.getName(), "RUNNING");
            awaitJob(rest, ": slow-job", "RUNNING");
            Set<String> driverTms = taskManagersOf(rest, driverJob.get("jid").asText());
            Map<String, String> archives = new HashMap<>();
            for (ContainerReport c : containers(id)) {
                String container = c.getContainerId().toString();
                String role =
                        isApplicationMaster(c)
                                ? "jobmanager"
                                : driverTms.contains(container) ? "driver" : "taskmanager";
                mappedArchive(container).ifPresent(archive -> archives.put(role, archive));
            }
            ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
            assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
            mapped = archives;
        }
        assertThat(mapped)
                .as("the archive each JVM of one application maps (/proc/<pid>/maps)")
                .containsOnlyKeys("jobmanager", "driver", "taskmanager")
                .allSatisfy((role, archive) -> assertThat(archive).endsWith("-" + role + ".jsa"));
    }

    private static boolean eachMapsItsRole(Map<String, String> archives) {
        return archives.keySet().equals(Set.of("jobmanager", "driver", "taskmanager"))
                && archives.entrySet().stream()
                        .allMatch(e -> e.getValue().endsWith("-" + e.getKey() + ".jsa"));
    }

    /** The class-data archive the JVM of a running container has mapped, if any. */
    private static Optional<String> mappedArchive(String containerId) throws Exception {
        try (var pids = Files.list(Path.of("/proc"))) {
            for (Path proc :
                    pids.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(proc.resolve("cmdline"));
                    if (!cmdline.contains("/" + containerId + "/")) {
                        continue;
                    }
                    try (var maps = Files.lines(proc.resolve("maps"))) {
                        Optional<String> archive =
                                // not the JDK's own classes.jsa, which every JVM maps
                                maps.filter(l -> l.contains("/flink-driver-cds/"))
                                        .map(l -> l.substring(l.lastIndexOf('/') + 1))
                                        .findFirst();
                        if (archive.isPresent()) {
                            return archive;
                        }
                    }
                } catch (java.io.IOException | java.io.UncheckedIOException gone) {
                    // a process that ended while we looked
                }
            }
        }
        return Optional.empty();
    }

    private static String taskManagerLog(Path logs, String containerId) throws Exception {
        return Files.readString(logs.resolve(containerId).resolve("taskmanager.log"));
    }

    @Test
    void driverContainerIsReturnedWhileAUserJobOutlivesMain() throws Exception {
        ApplicationId id =
                FlinkDriverCommand.submitDriver(
                        "--driverheapmemory",
                        "1024",
                        TestJars.jarOf(SlowJobApp.class).toString(),
                        "return",
                        "30");
        String rest = TestYarn.get().awaitRunning(id).getOriginalTrackingUrl();
        // User TaskManagers are 1280 MB (conf/config.yaml); the 1024 MB driver's is larger.
        ContainerId driverContainer =
                await("the driver's own container")
                        .atMost(APP_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        containers(id).stream()
                                                .filter(
                                                        c ->
                                                                c.getAllocatedResource()
                                                                                .getMemorySize()
                                                                        > USER_TASK_MANAGER_MB)
                                                .map(ContainerReport::getContainerId)
                                                .findFirst(),
                                Optional::isPresent)
                        .get();

        awaitJob(rest, "Flink Driver: " + SlowJobApp.class.getName(), "FINISHED");
        // Flink: main() has returned, its job still runs. YARN: the driver's container is gone.
        await("driver container released while the user job runs")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            assertThat(jobState(rest, ": slow-job"))
                                    .as("the user job still runs")
                                    .isEqualTo("RUNNING");
                            return containers(id).stream()
                                    .filter(c -> c.getContainerId().equals(driverContainer))
                                    .allMatch(
                                            c -> c.getContainerState() == ContainerState.COMPLETE);
                        });

        ApplicationReport end = TestYarn.get().waitForFinalState(id, APP_TIMEOUT);
        assertThat(end.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
        assertThat(end.getDiagnostics()).contains("1 jobs finished");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // Values the client refuses without YARN are unit tests (FlinkDriverCliTest).
                "--driverheapmemory|20000|more than YARN's maximum allocation of 8192 MB",
                "--drivercpus|20|more than YARN's maximum allocation of 16 vcores",
            })
    void invalidDriverResourcesAreOneLineAndLeaveNothingBehind(
            String option, String value, String message) throws Exception {
        long since = System.currentTimeMillis();
        Set<Path> staging = StagingFiles.snapshot();
        FlinkDriverCommand.Result r =
                FlinkDriverCommand.run(
                        "run",
                        "-m",
                        "yarn-cluster",
                        "-D",
                        option,
                        value,
                        TestPaths.distDir().resolve("examples/multi-job-example.jar").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(r.stderr()).startsWith("flink-driver: ").contains(message);
        assertThat(
                        TestYarn.get()
                                .applicationsNamedSince(
                                        "Flink Driver: dev.flinkdriver.examples.MultiJobExample",
                                        since))
                .as("applications submitted")
                .isEmpty();
        assertThat(StagingFiles.newSince(staging)).as("staging files left").isEmpty();
    }

    private static List<ContainerReport> containers(ApplicationId id) throws Exception {
        ApplicationReport report = TestYarn.get().yarnClient().getApplicationReport(id);
        return TestYarn.get().yarnClient().getContainers(report.getCurrentApplicationAttemptId());
    }

    /**
     * Container 1 of its attempt. The id's high bits hold the ResourceManager's epoch once the RM
     * restarted (NodeLossIT restarts this YARN's): {@code container_e01_..._000001}.
     */
    private static boolean isApplicationMaster(ContainerReport c) {
        return (c.getContainerId().getContainerId() & ContainerId.CONTAINER_ID_BITMASK) == 1;
    }

    private static List<ContainerReport> runningTaskManagerContainers(ApplicationId id)
            throws Exception {
        List<ContainerReport> out = new ArrayList<>();
        for (ContainerReport c : containers(id)) {
            if (!isApplicationMaster(c) && c.getContainerState() == ContainerState.RUNNING) {
                out.add(c);
            }
        }
        return out;
    }

    private static Set<String> taskManagersOf(String rest, String jobId) throws Exception {
        Set<String> tms = new HashSet<>();
        for (JsonNode vertex : FlinkRest.get(rest, "/jobs/" + jobId).get("vertices")) {
            JsonNode r =
                    FlinkRest.get(
                            rest,
                            "/jobs/"
                                    + jobId
                                    + "/vertices/"
                                    + vertex.get("id").asText()
                                    + "/taskmanagers");
            for (JsonNode tm : r.get("taskmanagers")) {
                tms.add(tm.get("taskmanager-id").asText());
            }
        }
        return tms;
    }

    static JsonNode awaitJob(String rest, String nameSuffix, String state) {
        return await("a job *" + nameSuffix + " in state " + state)
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> job(rest, nameSuffix, state), Optional::isPresent)
                .get();
    }

    private static Optional<JsonNode> job(String rest, String nameSuffix, String state)
            throws Exception {
        for (JsonNode job : FlinkRest.get(rest, "/jobs/overview").get("jobs")) {
            // A RUNNING job may still wait for slots: RUNNING here means its tasks run.
            boolean tasksRun =
                    !state.equals("RUNNING") || job.get("tasks").get("running").asInt() > 0;
            if (job.get("name").asText().endsWith(nameSuffix)
                    && job.get("state").asText().equals(state)
                    && tasksRun) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    private static String jobState(String rest, String nameSuffix) throws Exception {
        for (JsonNode job : FlinkRest.get(rest, "/jobs/overview").get("jobs")) {
            if (job.get("name").asText().endsWith(nameSuffix)) {
                return job.get("state").asText();
            }
        }
        return "MISSING";
    }
}
