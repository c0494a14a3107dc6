package dev.flinkdriver.api;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.dispatcher.DispatcherId;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverJobMarkersTest {

    private final ApplicationID app = new ApplicationID();

    @Test
    void aJobMainSubmittedCarriesItsApplicationAndPosition() {
        Configuration job = new Configuration();

        DriverJobMarkers.markSubmittedJob(job, app, 3, true);

        assertThat(DriverJobMarkers.claimedApplicationId(new JobID(), job)).contains(app);
        assertThat(DriverJobMarkers.position(job)).isEqualTo(OptionalInt.of(3));
        assertThat(DriverJobMarkers.collectsToDriver(job)).isTrue();
        assertThat(job.get(DriverInternalOptions.APPLICATION_ID))
                .as("the wire format other processes read")
                .isEqualTo(app.toHexString());
    }

    @Test
    void anUnmarkedJobIsNoneOfMains() {
        Configuration job = new Configuration();

        assertThat(DriverJobMarkers.claimedApplicationId(new JobID(), job)).isEmpty();
        assertThat(DriverJobMarkers.position(job)).isEmpty();
        assertThat(DriverJobMarkers.collectsToDriver(job)).isFalse();
        assertThat(DriverJobMarkers.dispatcher(job)).isEmpty();
    }

    @Test
    void anInvalidClaimIsIgnoredButAnInvalidConfiguredIdIsAnError() {
        Configuration job = new Configuration();
        job.set(DriverInternalOptions.APPLICATION_ID, "not-an-id");

        assertThat(DriverJobMarkers.claimedApplicationId(new JobID(), job)).isEmpty();
        assertThatThrownBy(() -> DriverJobMarkers.applicationId(job))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DriverInternalOptions.APPLICATION_ID.key());
    }

    @Test
    void theRecoveredDriverJobLearnsWhichJobManagerAndDispatcherRunIt() {
        Configuration driverJob = new Configuration();
        DriverJobMarkers.markDriverJob(
                driverJob,
                new DispatcherEndpoint(
                        "pekko.tcp://flink@first:6123/user/rpc/dispatcher_0",
                        DispatcherId.generate()),
                1);

        DispatcherEndpoint secondDispatcher =
                new DispatcherEndpoint(
                        "pekko.tcp://flink@second:6123/user/rpc/dispatcher_0",
                        DispatcherId.generate());
        DriverJobMarkers.markDriverJob(driverJob, secondDispatcher, 2);

        assertThat(DriverJobMarkers.jobManagerAttempt(driverJob)).isEqualTo(2);
        assertThat(DriverJobMarkers.dispatcher(driverJob))
                .as("the restarted driver submits to the new leader, with its fencing token")
                .contains(secondDispatcher);
    }
}
