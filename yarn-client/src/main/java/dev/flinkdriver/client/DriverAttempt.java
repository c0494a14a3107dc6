package dev.flinkdriver.client;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory.RootExceptionInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which attempt of the driver job runs main(), and why the latest restart happened. Each restart of
 * the driver job (a lost TaskManager, see {@code driver.restart.attempts}) leaves one entry in the
 * job's exception history, which Flink's REST API serves newest first.
 *
 * @param number 1 before any restart
 * @param lastRestartCause first line of the failure that caused the latest restart; null without
 *     restarts
 */
record DriverAttempt(int number, @Nullable String lastRestartCause) {

    /**
     * @param newestFirst the driver job's exception history as Flink's REST API serves it
     * @param failed whether the driver job has FAILED: then the newest entry ended it instead of
     *     restarting it
     */
    static DriverAttempt fromHistory(List<RootExceptionInfo> newestFirst, boolean failed) {
        int skip = failed && !newestFirst.isEmpty() ? 1 : 0;
        int restarts = newestFirst.size() - skip;
        if (restarts <= 0) {
            return new DriverAttempt(1, null);
        }
        return new DriverAttempt(restarts + 1, firstLine(newestFirst.get(skip)));
    }

    /** Asks the cluster's REST endpoint for the driver job's exception history. */
    static DriverAttempt fetch(
            RestClient client,
            String host,
            int port,
            JobID driverJobId,
            boolean failed,
            Duration timeout)
            throws Exception {
        JobExceptionsMessageParameters parameters =
                JobExceptionsHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(driverJobId);
        JobExceptionsInfoWithHistory exceptions =
                client.sendRequest(
                                host,
                                port,
                                JobExceptionsHeaders.getInstance(),
                                parameters,
                                EmptyRequestBody.getInstance())
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return fromHistory(exceptions.getExceptionHistory().getEntries(), failed);
    }

    private static String firstLine(RootExceptionInfo entry) {
        String stacktrace = entry.getStacktrace();
        if (stacktrace == null || stacktrace.isBlank()) {
            return entry.getExceptionName();
        }
        return stacktrace.strip().lines().findFirst().orElse(entry.getExceptionName());
    }
}
