package dev.flinkdriver.driver;

import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.api.DriverJobMarkers;
import dev.flinkdriver.api.LivingPriority;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.collect.CollectSinkOperatorFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Marks a job main() submits as part of the driver application: prefixes its name, carries the
 * driver's application id and the job's position in its job configuration, and gives it the id
 * derived from that position ({@link DriverJobIds}).
 *
 * <p>Over RPC the plan's application id places the job; the marker travels with the job's
 * configuration through a REST submission, which is how the driver dispatcher recognises the job
 * there (the REST handler drops the plan's own application id). Done in the driver, not in the
 * dispatcher, so that the names are right on any cluster.
 */
public final class DriverJobDecorator {

    private static final Logger LOG = LoggerFactory.getLogger(DriverJobDecorator.class);

    /** Put after the prefix of a DAEMON job's name. */
    public static final String DAEMON_MARK = "[daemon] ";

    private final String namePrefix;

    private final ApplicationID applicationId;

    private final int jobManagerAttempt;

    private final int leadership;

    private final int driverAttempt;

    private final DriverJobRestore restore;

    /** Positions follow the order in which main() hands its jobs to the executors. */
    private final AtomicInteger lastPosition = new AtomicInteger();

    /**
     * @param jobManagerAttempt the YARN attempt of the JobManager the driver job runs under, 1 for
     *     the first
     * @param driverAttempt the driver task's attempt number under that JobManager's leadership, 0
     *     before any restart
     */
    public DriverJobDecorator(
            String namePrefix,
            ApplicationID applicationId,
            int jobManagerAttempt,
            int driverAttempt) {
        this(
                namePrefix,
                applicationId,
                jobManagerAttempt,
                1,
                driverAttempt,
                DriverJobRestore.none());
    }

    /**
     * @param leadership the leadership of that JobManager's process, 1 for the first
     * @param restore which savepoint each job restores from
     */
    DriverJobDecorator(
            String namePrefix,
            ApplicationID applicationId,
            int jobManagerAttempt,
            int leadership,
            int driverAttempt,
            DriverJobRestore restore) {
        this.restore = checkNotNull(restore);
        this.namePrefix = checkNotNull(namePrefix);
        this.applicationId = checkNotNull(applicationId);
        this.jobManagerAttempt = jobManagerAttempt;
        this.leadership = leadership;
        this.driverAttempt = driverAttempt;
    }

    public DriverJobDecorator(String namePrefix, ApplicationID applicationId, int driverAttempt) {
        this(namePrefix, applicationId, 1, driverAttempt);
    }

    public DriverJobDecorator(String namePrefix, ApplicationID applicationId) {
        this(namePrefix, applicationId, 0);
    }

    public void decorate(Pipeline pipeline) {
        if (!(pipeline instanceof StreamGraph)) {
            // Only StreamGraph (DataStream, Table API) can be renamed before submission.
            LOG.warn(
                    "Cannot mark a {} as a job of driver application {}; it runs as a job of its"
                            + " own.",
                    pipeline.getClass().getName(),
                    applicationId);
            return;
        }
        StreamGraph streamGraph = (StreamGraph) pipeline;
        // The living priority is in no REST response; the name shows DAEMON jobs for what they
        // are, in the Flink UI and in `flink-driver status`.
        boolean daemon =
                LivingPriority.ofSubmittedJob(streamGraph.getJobConfiguration())
                        == LivingPriority.DAEMON;
        String name = streamGraph.getJobName();
        int position = lastPosition.incrementAndGet();
        // Before anything else: a job that must not run is refused unchanged.
        restore.apply(streamGraph, position, name);
        streamGraph.setJobName(namePrefix + (daemon ? DAEMON_MARK : "") + name);
        DriverJobMarkers.setJobName(streamGraph.getJobConfiguration(), name);

        boolean collectsToDriver = collectsToDriver(streamGraph);
        streamGraph.setJobId(
                collectsToDriver
                        ? DriverJobIds.ofRerun(
                                applicationId,
                                position,
                                jobManagerAttempt,
                                leadership,
                                driverAttempt)
                        : DriverJobIds.ofPosition(applicationId, position));
        // The dispatcher takes an RPC submission into this application; the REST handler drops
        // it, and the marker below is what the driver dispatcher then recognises.
        streamGraph.setApplicationId(applicationId);
        DriverJobMarkers.markSubmittedJob(
                streamGraph.getJobConfiguration(), applicationId, position, collectsToDriver);
    }

    /**
     * The configuration to submit a decorated job with. Flink's executors take a job's restore
     * settings from the configuration they submit it with ({@code
     * PipelineExecutorUtils#getStreamGraph}), not from the job: with an application savepoint, the
     * job's own settings go there.
     */
    public Configuration executorConfiguration(Pipeline pipeline, Configuration configuration) {
        if (!(pipeline instanceof StreamGraph) || !restore.restoresByPosition()) {
            return configuration;
        }
        Configuration withRestore = new Configuration(configuration);
        withRestore.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
        SavepointRestoreSettings.toConfiguration(
                ((StreamGraph) pipeline).getSavepointRestoreSettings(), withRestore);
        return withRestore;
    }

    /** Rows of such a job go to main() only: collect(), executeAndCollect(), Table's collect(). */
    static boolean collectsToDriver(StreamGraph streamGraph) {
        for (StreamNode node : streamGraph.getStreamNodes()) {
            if (node.getOperatorFactory() instanceof CollectSinkOperatorFactory) {
                return true;
            }
        }
        return false;
    }
}
