package dev.flinkdriver.api;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.tasks.TaskInvokable;
import org.apache.flink.runtime.jobmanager.scheduler.SlotSharingGroup;

import java.util.ArrayList;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/** Builds the driver job: one task that runs the application's main(). */
public final class DriverJobGraphs {

    static final String DRIVER_VERTEX_NAME = "Driver";

    static final String DRIVER_SLOT_SHARING_GROUP = "driver";

    private DriverJobGraphs() {}

    /**
     * Creates the driver job. Its jars still have to be uploaded to the blob server ({@code
     * org.apache.flink.runtime.client.ClientUtils#extractAndUploadExecutionPlanFiles}) before it is
     * submitted.
     *
     * @param driverConfiguration the driver's settings ({@link DriverOptions}) and the
     *     configuration main() runs with; {@link DriverInternalOptions#JAR} is required
     * @param restBaseUrl the cluster's REST endpoint, which main() submits its jobs to where it
     *     does not use the dispatcher's RPC ({@link DriverOptions#JOB_SUBMISSION})
     * @param driverProfile resources of the driver's slot; {@link ResourceProfile#UNKNOWN} for a
     *     default slot
     * @param driverTask the task that runs main(): passed in, so that this contract does not depend
     *     on the driver's code (the JobManager never loads more of it than this class)
     */
    public static JobGraph create(
            JobID jobId,
            ApplicationID applicationId,
            String name,
            Configuration driverConfiguration,
            String restBaseUrl,
            ResourceProfile driverProfile,
            Class<? extends TaskInvokable> driverTask) {
        String jar =
                driverConfiguration
                        .getOptional(DriverInternalOptions.JAR)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                DriverInternalOptions.JAR.key() + " is not set."));
        checkNotNull(restBaseUrl);
        checkNotNull(driverProfile);

        JobVertex driver = new JobVertex(DRIVER_VERTEX_NAME);
        driver.setInvokableClass(checkNotNull(driverTask));
        // main() must run exactly once: one subtask, and no rescaling of it.
        driver.setParallelism(1);
        driver.setMaxParallelism(1);

        SlotSharingGroup slotSharingGroup = new SlotSharingGroup();
        slotSharingGroup.setSlotSharingGroupName(DRIVER_SLOT_SHARING_GROUP);
        slotSharingGroup.setResourceProfile(driverProfile);
        driver.setSlotSharingGroup(slotSharingGroup);

        JobGraph jobGraph = new JobGraph(jobId, applicationId, name);
        jobGraph.addVertex(driver);

        Configuration jobConfiguration = jobGraph.getJobConfiguration();
        jobConfiguration.addAll(driverConfiguration);
        DriverJobMarkers.setApplicationId(jobConfiguration, applicationId);
        jobConfiguration.set(DriverInternalOptions.REST_ADDRESS, restBaseUrl);
        if (!jobConfiguration.contains(DriverOptions.JOB_NAME_PREFIX)) {
            jobConfiguration.set(DriverOptions.JOB_NAME_PREFIX, name + ": ");
        }
        // A driver that lost its TaskManager restarts; the dispatcher answers the restarted
        // main() with the jobs it already submitted. Without the DriverDispatcher (an existing
        // cluster) nobody would, so the driver never restarts there.
        DriverRestartStrategy.applyTo(
                jobConfiguration,
                jobConfiguration.get(DriverInternalOptions.MANAGE_JOBS)
                        ? 0
                        : jobConfiguration.get(DriverOptions.DRIVER_RESTART_ATTEMPTS));

        for (Path path : jarPaths(jar, driverConfiguration.get(DriverOptions.LIB_JARS))) {
            jobGraph.addJar(path);
        }
        return jobGraph;
    }

    /** The application jar first, then the library jars. */
    static List<Path> jarPaths(String jar, List<String> libJars) {
        checkArgument(!jar.isEmpty(), "%s is empty.", DriverInternalOptions.JAR.key());
        List<Path> paths = new ArrayList<>(libJars.size() + 1);
        paths.add(new Path(jar));
        for (String libJar : libJars) {
            paths.add(new Path(libJar));
        }
        return paths;
    }
}
