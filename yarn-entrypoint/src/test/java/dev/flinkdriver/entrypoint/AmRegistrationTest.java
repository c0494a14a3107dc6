package dev.flinkdriver.entrypoint;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdateContainerRequest;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One YARN registration and client for every leadership of a JobManager's process. */
class AmRegistrationTest {

    private static final ApplicationAttemptId ATTEMPT =
            ApplicationAttemptId.newInstance(ApplicationId.newInstance(1, 1), 1);

    private final FakeYarnClient yarn = new FakeYarnClient();

    private final List<Throwable> fatalErrors = new ArrayList<>();

    private final AmRegistration registration =
            new AmRegistration(
                    (interval, callbacks) -> {
                        yarn.callbacks = callbacks;
                        return yarn;
                    },
                    fatalErrors::add);

    @Test
    void aLaterLeadershipTakesOverTheRegistrationAndTheContainersThisProcessHolds()
            throws Exception {
        Container kept = container(1);
        yarn.previousAttempts.add(kept);
        Handler first = new Handler();
        AMRMClientAsync<ContainerRequest> firstClient = start(first);
        assertThat(
                        firstClient
                                .registerApplicationMaster("host", 1, "url")
                                .getContainersFromPreviousAttempts())
                .containsExactly(kept);
        Container allocated = container(2);
        yarn.callbacks.onContainersAllocated(List.of(allocated));
        assertThat(first.allocated).containsExactly(allocated);

        // Leadership lost: Flink stops its resource manager and with it the client.
        firstClient.stop();
        assertThat(yarn.isInState(org.apache.hadoop.service.Service.STATE.STARTED)).isTrue();
        Container stray = container(3);
        yarn.callbacks.onContainersAllocated(List.of(stray));
        assertThat(first.allocated).as("no handler between leaderships").hasSize(1);
        assertThat(yarn.released).as("given back at once").containsExactly(stray.getId());

        Handler second = new Handler();
        AMRMClientAsync<ContainerRequest> secondClient = start(second);
        RegisterApplicationMasterResponse again =
                secondClient.registerApplicationMaster("host", 1, "url");
        assertThat(yarn.registrations).as("YARN lets an attempt register once").isEqualTo(1);
        assertThat(again.getContainersFromPreviousAttempts()).containsExactly(kept, allocated);
        yarn.callbacks.onContainersCompleted(List.of(completed(kept)));
        assertThat(second.completed).hasSize(1);
        assertThat(first.completed).isEmpty();

        secondClient.releaseAssignedContainer(allocated.getId());
        secondClient.unregisterApplicationMaster(FinalApplicationStatus.SUCCEEDED, "done", "");
        secondClient.stop();
        assertThat(yarn.isInState(org.apache.hadoop.service.Service.STATE.STOPPED))
                .as("stopped once the application unregistered")
                .isTrue();
        assertThat(yarn.released).contains(allocated.getId());
    }

    @Test
    void aStoppedLeadershipsOpenRequestsAreWithdrawnNotHandedToTheNext() throws Exception {
        AMRMClientAsync<ContainerRequest> firstClient = start(new Handler());
        firstClient.registerApplicationMaster("host", 1, "url");
        ContainerRequest answered = request();
        ContainerRequest open = request();
        firstClient.addContainerRequest(answered);
        firstClient.addContainerRequest(open);
        firstClient.removeContainerRequest(answered); // matched to an allocated container

        firstClient.stop();

        assertThat(yarn.requests).as("what YARN still has to answer").isEmpty();
        AMRMClientAsync<ContainerRequest> secondClient = start(new Handler());
        secondClient.registerApplicationMaster("host", 1, "url");
        ContainerRequest next = request();
        secondClient.addContainerRequest(next);
        assertThat(yarn.requests).containsExactly(next);
    }

    @Test
    void yarnsShutdownRequestGoesToTheLeaderOrEndsTheProcessWhileNoneLeads() throws Exception {
        Handler leader = new Handler();
        AMRMClientAsync<ContainerRequest> client = start(leader);
        client.registerApplicationMaster("host", 1, "url");

        yarn.callbacks.onShutdownRequest();
        assertThat(leader.shutdownRequests).as("Flink's resource manager acts on it").isEqualTo(1);
        assertThat(fatalErrors).isEmpty();

        client.stop(); // leadership lost
        yarn.callbacks.onShutdownRequest();
        assertThat(leader.shutdownRequests).isEqualTo(1);
        assertThat(fatalErrors)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e)
                                        .hasMessageContaining(
                                                "shutdown request from YARN ResourceManager"));
    }

    private static ContainerRequest request() {
        return new ContainerRequest(
                Resource.newInstance(1024, 1), null, null, Priority.newInstance(1));
    }

    private AMRMClientAsync<ContainerRequest> start(Handler handler) {
        AMRMClientAsync<ContainerRequest> client = registration.clientFor(100, handler);
        client.init(new Configuration(false));
        client.start();
        return client;
    }

    private static Container container(int id) {
        return Container.newInstance(
                ContainerId.newContainerId(ATTEMPT, id),
                NodeId.newInstance("host", 1),
                "host:2",
                Resource.newInstance(1024, 1),
                Priority.newInstance(1),
                null);
    }

    private static ContainerStatus completed(Container container) {
        return ContainerStatus.newInstance(container.getId(), ContainerState.COMPLETE, "", 0);
    }

    /** A resource manager's handler of YARN's callbacks. */
    private static final class Handler extends AMRMClientAsync.AbstractCallbackHandler {

        final List<Container> allocated = new ArrayList<>();
        final List<ContainerStatus> completed = new ArrayList<>();
        int shutdownRequests;

        @Override
        public void onContainersCompleted(List<ContainerStatus> statuses) {
            completed.addAll(statuses);
        }

        @Override
        public void onContainersAllocated(List<Container> containers) {
            allocated.addAll(containers);
        }

        @Override
        public void onContainersUpdated(List<UpdatedContainer> containers) {}

        @Override
        public void onShutdownRequest() {
            shutdownRequests++;
        }

        @Override
        public void onNodesUpdated(List<NodeReport> updatedNodes) {}

        @Override
        public float getProgress() {
            return 0.5f;
        }

        @Override
        public void onError(Throwable e) {}
    }

    /** YARN's ResourceManager as the ApplicationMaster's client sees it. */
    private static final class FakeYarnClient extends AMRMClientAsync<ContainerRequest> {

        AMRMClientAsync.AbstractCallbackHandler callbacks;
        final List<Container> previousAttempts = new ArrayList<>();
        final List<ContainerId> released = new ArrayList<>();
        final List<ContainerRequest> requests = new ArrayList<>();
        int registrations;

        FakeYarnClient() {
            super(100, new Handler());
        }

        @Override
        protected void serviceStart() {}

        @Override
        protected void serviceStop() {}

        @Override
        public RegisterApplicationMasterResponse registerApplicationMaster(
                String appHostName, int appHostPort, String appTrackingUrl) {
            registrations++;
            RegisterApplicationMasterResponse response =
                    org.apache.hadoop.yarn.util.Records.newRecord(
                            RegisterApplicationMasterResponse.class);
            response.setContainersFromPreviousAttempts(new ArrayList<>(previousAttempts));
            return response;
        }

        @Override
        public void unregisterApplicationMaster(
                FinalApplicationStatus appStatus, String appMessage, String appTrackingUrl) {}

        @Override
        public void addContainerRequest(ContainerRequest req) {
            requests.add(req);
        }

        @Override
        public void removeContainerRequest(ContainerRequest req) {
            requests.remove(req);
        }

        @Override
        public void requestContainerUpdate(
                Container container, UpdateContainerRequest updateContainerRequest) {}

        @Override
        public void releaseAssignedContainer(ContainerId containerId) {
            released.add(containerId);
        }

        @Override
        public Resource getAvailableResources() {
            return Resource.newInstance(0, 0);
        }

        @Override
        public int getClusterNodeCount() {
            return 1;
        }

        @Override
        public void updateBlacklist(
                List<String> blacklistAdditions, List<String> blacklistRemovals) {}

        @Override
        public List<? extends Collection<ContainerRequest>> getMatchingRequests(
                Priority priority, String resourceName, Resource capability) {
            return List.of();
        }
    }
}
