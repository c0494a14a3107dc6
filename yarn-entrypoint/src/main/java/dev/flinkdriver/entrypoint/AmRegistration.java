package dev.flinkdriver.entrypoint;

import org.apache.flink.runtime.resourcemanager.exceptions.ResourceManagerException;
import org.apache.flink.runtime.rpc.FatalErrorHandler;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.protocolrecords.RegisterApplicationMasterResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.UpdateContainerRequest;
import org.apache.hadoop.yarn.api.records.UpdatedContainer;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.exceptions.YarnException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static org.apache.flink.util.Preconditions.checkState;

/**
 * The ApplicationMaster's one registration with YARN's ResourceManager, shared by every leadership
 * of this JobManager's process.
 *
 * <p>A JobManager that loses its ZooKeeper session loses leadership: Flink stops its resource
 * manager, and starts a new one when it leads again. Flink's YARN resource manager registers the
 * ApplicationMaster on every start and stops its YARN client on every stop, but YARN lets an
 * attempt register once, and a new client would not know the heartbeat sequence of the old one, so
 * Flink's own YARN deployment ends the process instead (a new YARN attempt, every TaskManager
 * restarted). Here one YARN client serves every leadership: the first resource manager registers
 * it, a later one is answered with that registration, in which the containers this process holds
 * stand for "containers from previous attempts" (how Flink's resource manager takes over running
 * TaskManagers), and a resource manager's stop only detaches it, until the application unregisters.
 *
 * <p>Containers YARN allocates while no resource manager leads are given back at once: their
 * requests were the stopped resource manager's. YARN's request to shut down (it no longer knows
 * this attempt, and the client's heartbeat has stopped for good) ends the process while no resource
 * manager leads, as the leading one's handler would: no later leader could use the client.
 */
final class AmRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(AmRegistration.class);

    private final BiFunction<
                    Integer,
                    AMRMClientAsync.AbstractCallbackHandler,
                    AMRMClientAsync<ContainerRequest>>
            clientFactory;

    private final FatalErrorHandler fatalErrorHandler;

    @Nullable private AMRMClientAsync<ContainerRequest> shared;

    @Nullable private RegisterApplicationMasterResponse registration;

    /** The running resource manager's handler; null between leaderships. */
    @Nullable private AMRMClientAsync.AbstractCallbackHandler sessionHandler;

    /** Containers this process holds: allocated, or kept from earlier attempts, and not ended. */
    private final Map<ContainerId, Container> held = new LinkedHashMap<>();

    private int leaderships;

    private boolean unregistered;

    /**
     * @param clientFactory creates the one YARN client from a heartbeat interval and the handler of
     *     its callbacks
     * @param fatalErrorHandler the process's, as Flink's resource manager reports its fatal errors
     *     to it: ends the process with Flink's runtime failure exit code
     */
    AmRegistration(
            BiFunction<
                            Integer,
                            AMRMClientAsync.AbstractCallbackHandler,
                            AMRMClientAsync<ContainerRequest>>
                    clientFactory,
            FatalErrorHandler fatalErrorHandler) {
        this.clientFactory = clientFactory;
        this.fatalErrorHandler = fatalErrorHandler;
    }

    /** Leaderships whose resource manager registered so far; the next one is this plus 1. */
    synchronized int leaderships() {
        return leaderships;
    }

    /** The YARN client of one resource manager (one leadership): what Flink's factory returns. */
    synchronized AMRMClientAsync<ContainerRequest> clientFor(
            int heartbeatIntervalMillis, AMRMClientAsync.AbstractCallbackHandler handler) {
        if (shared == null) {
            shared = clientFactory.apply(heartbeatIntervalMillis, new Callbacks());
        }
        return new SessionClient(heartbeatIntervalMillis, handler);
    }

    private synchronized void initShared(Configuration conf) {
        if (shared.isInState(org.apache.hadoop.service.Service.STATE.NOTINITED)) {
            shared.init(conf);
        }
    }

    private synchronized void startShared() {
        if (shared.isInState(org.apache.hadoop.service.Service.STATE.INITED)) {
            shared.start();
        }
    }

    private synchronized RegisterApplicationMasterResponse register(
            AMRMClientAsync.AbstractCallbackHandler handler, String host, int port, String url)
            throws YarnException, IOException {
        leaderships++;
        if (registration == null) {
            registration = shared.registerApplicationMaster(host, port, url);
            for (Container container : registration.getContainersFromPreviousAttempts()) {
                held.put(container.getId(), container);
            }
        } else {
            LOG.info(
                    "Resource manager of leadership {} takes over the ApplicationMaster's YARN"
                            + " registration and its {} containers.",
                    leaderships,
                    held.size());
            registration.setContainersFromPreviousAttempts(new ArrayList<>(held.values()));
        }
        sessionHandler = handler;
        return registration;
    }

    private synchronized void detach(AMRMClientAsync.AbstractCallbackHandler handler) {
        if (sessionHandler == handler) {
            sessionHandler = null;
        }
        if (unregistered && shared != null) {
            shared.stop();
        }
    }

    private synchronized void unregister(FinalApplicationStatus status, String message, String url)
            throws YarnException, IOException {
        shared.unregisterApplicationMaster(status, message, url);
        unregistered = true;
    }

    private synchronized void released(ContainerId containerId) {
        held.remove(containerId);
        shared.releaseAssignedContainer(containerId);
    }

    /** Receives the YARN client's callbacks and hands them to the resource manager that leads. */
    private final class Callbacks extends AMRMClientAsync.AbstractCallbackHandler {

        @Override
        public void onContainersCompleted(List<ContainerStatus> statuses) {
            AMRMClientAsync.AbstractCallbackHandler handler;
            synchronized (AmRegistration.this) {
                statuses.forEach(s -> held.remove(s.getContainerId()));
                handler = sessionHandler;
            }
            if (handler != null) {
                handler.onContainersCompleted(statuses);
            }
        }

        @Override
        public void onContainersAllocated(List<Container> containers) {
            AMRMClientAsync.AbstractCallbackHandler handler;
            synchronized (AmRegistration.this) {
                handler = sessionHandler;
                if (handler == null) {
                    for (Container container : containers) {
                        LOG.info(
                                "Returning container {}, allocated while no resource manager"
                                        + " leads.",
                                container.getId());
                        shared.releaseAssignedContainer(container.getId());
                    }
                    return;
                }
                containers.forEach(c -> held.put(c.getId(), c));
            }
            handler.onContainersAllocated(containers);
        }

        @Override
        public void onContainersUpdated(List<UpdatedContainer> containers) {
            AMRMClientAsync.AbstractCallbackHandler handler = handler();
            if (handler != null) {
                handler.onContainersUpdated(containers);
            }
        }

        @Override
        public void onShutdownRequest() {
            AMRMClientAsync.AbstractCallbackHandler handler = handler();
            if (handler != null) {
                handler.onShutdownRequest();
            } else {
                // What Flink's YARN resource manager does with it, which no leader runs to do.
                fatalErrorHandler.onFatalError(
                        new ResourceManagerException(
                                "Received shutdown request from YARN ResourceManager while no"
                                        + " resource manager leads."));
            }
        }

        @Override
        public void onNodesUpdated(List<NodeReport> updatedNodes) {
            AMRMClientAsync.AbstractCallbackHandler handler = handler();
            if (handler != null) {
                handler.onNodesUpdated(updatedNodes);
            }
        }

        @Override
        public float getProgress() {
            // Unused: LiveProgressAmrmClient sends the application's progress itself.
            return 0f;
        }

        @Override
        public void onError(Throwable e) {
            AMRMClientAsync.AbstractCallbackHandler handler = handler();
            if (handler != null) {
                handler.onError(e);
            } else {
                LOG.warn("YARN client error while no resource manager leads.", e);
            }
        }

        private AMRMClientAsync.AbstractCallbackHandler handler() {
            synchronized (AmRegistration.this) {
                return sessionHandler;
            }
        }
    }

    /** What one resource manager sees as its YARN client. */
    private final class SessionClient extends AMRMClientAsync<ContainerRequest> {

        private final AMRMClientAsync.AbstractCallbackHandler handler;

        /**
         * This leadership's requests YARN has not yet answered. Flink's resource manager does not
         * withdraw them when it stops, and the shared client would keep them: the next leader would
         * count them as its own and get containers for priorities it never asked for.
         */
        private final Set<ContainerRequest> pending =
                Collections.newSetFromMap(new IdentityHashMap<>());

        SessionClient(
                int heartbeatIntervalMillis, AMRMClientAsync.AbstractCallbackHandler handler) {
            super(heartbeatIntervalMillis, handler);
            this.handler = handler;
        }

        @Override
        protected void serviceInit(Configuration conf) {
            initShared(conf);
        }

        @Override
        protected void serviceStart() {
            startShared();
        }

        @Override
        protected void serviceStop() {
            synchronized (pending) {
                pending.forEach(shared::removeContainerRequest);
                pending.clear();
            }
            detach(handler);
        }

        @Override
        public RegisterApplicationMasterResponse registerApplicationMaster(
                String appHostName, int appHostPort, String appTrackingUrl)
                throws YarnException, IOException {
            return register(handler, appHostName, appHostPort, appTrackingUrl);
        }

        @Override
        public void unregisterApplicationMaster(
                FinalApplicationStatus appStatus, String appMessage, String appTrackingUrl)
                throws YarnException, IOException {
            unregister(appStatus, appMessage, appTrackingUrl);
        }

        @Override
        public void addContainerRequest(ContainerRequest req) {
            checkState(shared != null, "not initialised");
            synchronized (pending) {
                pending.add(req);
            }
            shared.addContainerRequest(req);
        }

        @Override
        public void removeContainerRequest(ContainerRequest req) {
            synchronized (pending) {
                pending.remove(req);
            }
            shared.removeContainerRequest(req);
        }

        @Override
        public void requestContainerUpdate(
                Container container, UpdateContainerRequest updateContainerRequest) {
            shared.requestContainerUpdate(container, updateContainerRequest);
        }

        @Override
        public void releaseAssignedContainer(ContainerId containerId) {
            released(containerId);
        }

        @Override
        public Resource getAvailableResources() {
            return shared.getAvailableResources();
        }

        @Override
        public int getClusterNodeCount() {
            return shared.getClusterNodeCount();
        }

        @Override
        public void updateBlacklist(
                List<String> blacklistAdditions, List<String> blacklistRemovals) {
            shared.updateBlacklist(blacklistAdditions, blacklistRemovals);
        }

        @Override
        public void setHeartbeatInterval(int interval) {
            shared.setHeartbeatInterval(interval);
        }

        @Override
        public List<? extends Collection<ContainerRequest>> getMatchingRequests(
                Priority priority, String resourceName, Resource capability) {
            return shared.getMatchingRequests(priority, resourceName, capability);
        }

        @Override
        public List<? extends Collection<ContainerRequest>> getMatchingRequests(
                Priority priority,
                String resourceName,
                org.apache.hadoop.yarn.api.records.ExecutionType executionType,
                Resource capability) {
            return shared.getMatchingRequests(priority, resourceName, executionType, capability);
        }

        @Override
        public Collection<ContainerRequest> getMatchingRequests(long allocationRequestId) {
            return shared.getMatchingRequests(allocationRequestId);
        }
    }
}
