package dev.flinkdriver.client;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.logaggregation.AggregatedLogFormat;
import org.apache.hadoop.yarn.logaggregation.ContainerLogsRequest;
import org.apache.hadoop.yarn.logaggregation.LogAggregationUtils;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileController;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileControllerFactory;
import org.apache.hadoop.yarn.logaggregation.filecontroller.tfile.LogAggregationTFileController;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.apache.hadoop.yarn.webapp.util.WebServiceClient;

import com.sun.jersey.api.client.Client;
import com.sun.jersey.api.client.ClientHandlerException;
import com.sun.jersey.api.client.ClientResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One log file of one container, from wherever YARN keeps it: the aggregated logs on the cluster
 * file system (read with Hadoop's own readers, as {@code yarn logs} reads them) once the
 * NodeManagers uploaded them, otherwise the NodeManager's container log web service (while the
 * container runs, and after the application ended until aggregation is done), through YARN's own
 * web service client as {@code yarn logs} reads it: SPNEGO on a Kerberized YARN, HTTPS with {@code
 * yarn.http.policy: HTTPS_ONLY}.
 */
final class ContainerLogs {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogs.class);

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final YarnConfiguration conf;
    private final YarnClient yarn;

    ContainerLogs(YarnConfiguration conf, YarnClient yarn) {
        this.conf = conf;
        this.yarn = yarn;
    }

    /** The file's content; empty when YARN has it neither aggregated nor on a NodeManager. */
    Optional<byte[]> read(ApplicationReport app, ContainerId container, String fileName)
            throws Exception {
        Optional<byte[]> aggregated = aggregated(app, container, fileName);
        return aggregated.isPresent() ? aggregated : fromNodeManager(container, fileName);
    }

    private Optional<byte[]> aggregated(
            ApplicationReport app, ContainerId container, String fileName) {
        LogAggregationFileController controller;
        try {
            controller =
                    new LogAggregationFileControllerFactory(conf)
                            .getFileControllerForRead(app.getApplicationId(), app.getUser());
        } catch (IOException e) {
            LOG.debug("No aggregated logs of {}: {}", app.getApplicationId(), e.getMessage());
            return Optional.empty();
        }
        try {
            if (controller instanceof LogAggregationTFileController) {
                return fromTFiles(app, controller, container, fileName);
            }
            // Other formats (IFile): Hadoop's reader, with its headers around the content.
            ContainerLogsRequest request = new ContainerLogsRequest();
            request.setAppId(app.getApplicationId());
            request.setAppOwner(app.getUser());
            request.setContainerId(container.toString());
            request.setLogTypes(Set.of(fileName));
            request.setBytes(Long.MAX_VALUE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return controller.readAggregatedLogs(request, out)
                    ? Optional.of(out.toByteArray())
                    : Optional.empty();
        } catch (IOException e) {
            LOG.debug("Cannot read the aggregated logs of {}", app.getApplicationId(), e);
            return Optional.empty();
        }
    }

    /** YARN's default format: one TFile per node, each container's files in a row. */
    private Optional<byte[]> fromTFiles(
            ApplicationReport app,
            LogAggregationFileController controller,
            ContainerId container,
            String fileName)
            throws IOException {
        RemoteIterator<FileStatus> nodeFiles =
                LogAggregationUtils.getRemoteNodeFileDir(
                        conf,
                        app.getApplicationId(),
                        app.getUser(),
                        controller.getRemoteRootLogDir(),
                        controller.getRemoteRootLogDirSuffix());
        while (nodeFiles.hasNext()) {
            FileStatus nodeFile = nodeFiles.next();
            // A node still uploading writes a temporary file first.
            if (nodeFile.getPath().getName().endsWith(LogAggregationUtils.TMP_FILE_SUFFIX)) {
                continue;
            }
            try (AggregatedLogFormat.LogReader reader =
                    new AggregatedLogFormat.LogReader(conf, nodeFile.getPath())) {
                AggregatedLogFormat.ContainerLogsReader logs =
                        reader.getContainerLogsReader(container);
                if (logs == null) {
                    continue;
                }
                for (String type = logs.nextLog(); type != null; type = logs.nextLog()) {
                    if (type.equals(fileName)) {
                        return Optional.of(logs.readAllBytes());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** {@code /ws/v1/node/containerlogs/<container>/<file>} of the node that ran it. */
    private Optional<byte[]> fromNodeManager(ContainerId container, String fileName)
            throws Exception {
        List<NodeReport> nodes = yarn.getNodeReports(NodeState.RUNNING);
        WebServiceClient.initialize(conf);
        Client http = WebServiceClient.getWebServiceClient().createClient();
        http.setConnectTimeout((int) Duration.ofSeconds(5).toMillis());
        http.setReadTimeout((int) HTTP_TIMEOUT.toMillis());
        try {
            for (NodeReport node : nodes) {
                String uri =
                        WebAppUtils.getHttpSchemePrefix(conf)
                                + node.getHttpAddress()
                                + "/ws/v1/node/containerlogs/"
                                + container
                                + "/"
                                + fileName;
                try {
                    ClientResponse r =
                            http.resource(uri).accept("text/plain").get(ClientResponse.class);
                    try {
                        if (r.getStatus() == 200) {
                            return Optional.of(r.getEntity(byte[].class));
                        }
                        LOG.debug("{} -> {}", uri, r.getStatus());
                    } finally {
                        r.close();
                    }
                } catch (ClientHandlerException e) {
                    LOG.debug("{} does not answer", uri, e);
                }
            }
            return Optional.empty();
        } finally {
            http.destroy();
        }
    }
}
