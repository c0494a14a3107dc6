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

/**
 * A YARN client that adds the application's view and modify ACLs to what it submits. Flink builds
 * the submission context in a private method; the client it submits through is the one seam.
 */
final class AclSettingYarnClient extends YarnClientImpl {

    private final Map<ApplicationAccessType, String> acls =
            new EnumMap<>(ApplicationAccessType.class);

    AclSettingYarnClient(Configuration flinkConfig) {
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
        return super.submitApplication(context);
    }
}
