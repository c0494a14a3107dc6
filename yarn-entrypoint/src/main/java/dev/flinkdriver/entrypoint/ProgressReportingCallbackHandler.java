package dev.flinkdriver.entrypoint;

import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.PreemptionMessage;
import org.apache.hadoop.yarn.api.records.RejectedSchedulingRequest;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;

import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Flink's AMRM callback handler, except that the progress sent on each heartbeat is the driver
 * application's instead of Flink's constant 1, so the RM UI's progress bar moves.
 */
final class ProgressReportingCallbackHandler extends AMRMClientAsync.AbstractCallbackHandler {

    private final AMRMClientAsync.AbstractCallbackHandler delegate;
    private final DoubleSupplier progress;

    ProgressReportingCallbackHandler(
            AMRMClientAsync.AbstractCallbackHandler delegate, DoubleSupplier progress) {
        this.delegate = delegate;
        this.progress = progress;
    }

    @Override
    public float getProgress() {
        return (float) progress.getAsDouble();
    }

    @Override
    public void onContainersCompleted(List<ContainerStatus> statuses) {
        delegate.onContainersCompleted(statuses);
    }

    @Override
    public void onContainersAllocated(List<Container> containers) {
        delegate.onContainersAllocated(containers);
    }

    @Override
    public void onContainersUpdated(List<UpdatedContainer> containers) {
        delegate.onContainersUpdated(containers);
    }

    @Override
    public void onShutdownRequest() {
        delegate.onShutdownRequest();
    }

    @Override
    public void onNodesUpdated(List<NodeReport> updatedNodes) {
        delegate.onNodesUpdated(updatedNodes);
    }

    @Override
    public void onError(Throwable e) {
        delegate.onError(e);
    }

    @Override
    public void onContainersReceivedFromPreviousAttempts(List<Container> containers) {
        delegate.onContainersReceivedFromPreviousAttempts(containers);
    }

    @Override
    public void onRequestsRejected(List<RejectedSchedulingRequest> rejectedRequests) {
        delegate.onRequestsRejected(rejectedRequests);
    }

    @Override
    public void onPreemptionMessageReceived(PreemptionMessage message) {
        delegate.onPreemptionMessageReceived(message);
    }
}
