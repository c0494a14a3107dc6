package dev.flinkdriver.client;

import org.apache.flink.configuration.Configuration;

import org.apache.hadoop.yarn.conf.YarnConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many attempts the client asks YARN for: Flink's {@code yarn.application-attempts} plus the
 * closing attempt ({@link DriverHaOptions#CLOSING_ATTEMPT}), which the ApplicationMaster recognises
 * by its attempt number and uses only to end the application with diagnostics. YARN caps the
 * attempts at {@code yarn.resourcemanager.am.global.max-attempts} (else {@code
 * yarn.resourcemanager.am.max-attempts}, default 2); where the closing attempt would be cut, it is
 * not asked for and the user's attempts stay as they were.
 */
final class ClosingAttemptRequest {

    private static final Logger LOG = LoggerFactory.getLogger(ClosingAttemptRequest.class);

    private ClosingAttemptRequest() {}

    /** The max attempts to submit, given those Flink's deployment set. */
    static int maxAppAttempts(
            int flinkAttempts,
            Configuration flinkConfiguration,
            org.apache.hadoop.conf.Configuration yarnConfiguration) {
        if (!flinkConfiguration.get(DriverHaOptions.CLOSING_ATTEMPT)) {
            return flinkAttempts;
        }
        int yarnMax =
                yarnConfiguration.getInt(
                        YarnConfiguration.GLOBAL_RM_AM_MAX_ATTEMPTS,
                        yarnConfiguration.getInt(
                                YarnConfiguration.RM_AM_MAX_ATTEMPTS,
                                YarnConfiguration.DEFAULT_RM_AM_MAX_ATTEMPTS));
        if (flinkAttempts + 1 > yarnMax) {
            LOG.info(
                    "No closing attempt: yarn.application-attempts {} leaves no room under YARN's"
                            + " {} {}; a JobManager lost on the last attempt ends the application"
                            + " with YARN's own diagnostics.",
                    flinkAttempts,
                    YarnConfiguration.RM_AM_MAX_ATTEMPTS,
                    yarnMax);
            return flinkAttempts;
        }
        return flinkAttempts + 1;
    }
}
