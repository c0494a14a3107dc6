package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.api.records.ApplicationAccessType;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.client.api.impl.YarnClientImpl;
import org.apache.hadoop.yarn.exceptions.YarnException;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The YARN client Flink's deployment submits through: it adds the application's view and modify
 * ACLs, and remembers what it submitted so that a failed deployment can be cleaned up and named.
 * Flink builds the submission context in a private method; the client is the one seam.
 */
final class DriverYarnClient extends YarnClientImpl {

    private volatile ApplicationId submitted;

    private final Map<ApplicationAccessType, String> acls =
            new EnumMap<>(ApplicationAccessType.class);

    DriverYarnClient(Configuration flinkConfig) {
        flinkConfig
                .getOptional(YarnApplicationOptions.VIEW_ACLS)
                .ifPresent(v -> acls.put(ApplicationAccessType.VIEW_APP, v));
        flinkConfig
                .getOptional(YarnApplicationOptions.MODIFY_ACLS)
                .ifPresent(v -> acls.put(ApplicationAccessType.MODIFY_APP, v));
    }

    @Override
    public ApplicationId submitApplication(ApplicationSubmissionContext context)
            throws YarnException, IOException {
        if (!acls.isEmpty() && context.getAMContainerSpec() != null) {
            Map<ApplicationAccessType, String> merged = new EnumMap<>(ApplicationAccessType.class);
            if (context.getAMContainerSpec().getApplicationACLs() != null) {
                merged.putAll(context.getAMContainerSpec().getApplicationACLs());
            }
            merged.putAll(acls);
            context.getAMContainerSpec().setApplicationACLs(merged);
        }
        submitted = context.getApplicationId();
        return super.submitApplication(context);
    }

    /** The application submitted last, if any. */
    Optional<ApplicationId> submitted() {
        return Optional.ofNullable(submitted);
    }
}
