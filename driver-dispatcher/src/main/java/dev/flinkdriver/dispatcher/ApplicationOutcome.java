package dev.flinkdriver.dispatcher;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;

/** How a driver application ends; decided by the end of its driver job. */
public enum ApplicationOutcome {
    SUCCEEDED(ApplicationStatus.SUCCEEDED),
    FAILED(ApplicationStatus.FAILED),
    CANCELED(ApplicationStatus.CANCELED);

    private final ApplicationStatus applicationStatus;

    ApplicationOutcome(ApplicationStatus applicationStatus) {
        this.applicationStatus = applicationStatus;
    }

    /** The status the cluster shuts down with (YARN maps CANCELED to KILLED). */
    public ApplicationStatus toApplicationStatus() {
        return applicationStatus;
    }

    /** The outcome a globally terminal driver job status implies. */
    static ApplicationOutcome ofDriverJobStatus(JobStatus driverJobStatus) {
        switch (driverJobStatus) {
            case FINISHED:
                return SUCCEEDED;
            case CANCELED:
                return CANCELED;
            default:
                return FAILED;
        }
    }
}
