package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverJobIds;
import dev.flinkdriver.dispatcher.DriverJobPositions.Answer;

import org.apache.flink.api.common.ApplicationID;
import org.apache.flink.api.common.JobID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity and answer rules for jobs a restarted driver submits again. */
class DriverJobPositionsTest {

    private final ApplicationID app = new ApplicationID();
    private final DriverJobPositions positions = new DriverJobPositions();

    @Test
    void aRestartedDriversJobsAreAnsweredWithTheEarlierOnes() {
        // First attempt: three jobs, whatever became of them (finished, running, failed).
        for (int position = 1; position <= 3; position++) {
            assertThat(submit(position, "job-" + position).answer()).isEqualTo(Answer.SUBMIT);
        }
        // Second attempt: the same three, then a new fourth.
        for (int position = 1; position <= 3; position++) {
            assertThat(submit(position, "job-" + position).answer()).isEqualTo(Answer.ATTACH);
        }
        assertThat(submit(4, "job-4").answer()).isEqualTo(Answer.SUBMIT);
        // A third attempt attaches to all four.
        for (int position = 1; position <= 4; position++) {
            assertThat(submit(position, "job-" + position).answer()).isEqualTo(Answer.ATTACH);
        }
    }

    @Test
    void anotherJobAtAKnownPositionIsAMismatchNamingBoth() {
        submit(1, "app: extract");
        submit(2, "app: load");

        DriverJobPositions.Decision decision = submit(2, "app: transform");

        assertThat(decision.answer()).isEqualTo(Answer.MISMATCH);
        assertThat(decision.message())
                .contains("'app: transform' as job #2")
                .contains("job #2 was 'app: load'")
                .contains(DriverJobIds.ofPosition(app, 2).toString());
        // The earlier job stays the one at that position.
        assertThat(submit(2, "app: load").answer()).isEqualTo(Answer.ATTACH);
    }

    @Test
    void aJobThatCollectsToTheDriverReplacesItsEarlierRun() {
        JobID first = DriverJobIds.ofRerun(app, 1, 0);
        JobID second = DriverJobIds.ofRerun(app, 1, 1);
        assertThat(positions.submitted(1, first, "app: collect").answer()).isEqualTo(Answer.SUBMIT);

        DriverJobPositions.Decision decision = positions.submitted(1, second, "app: collect");

        assertThat(decision.answer()).isEqualTo(Answer.REPLACE);
        assertThat(decision.replaced()).isEqualTo(first);
        // The same attempt sending the same job again (a retried request) is answered with it.
        assertThat(positions.submitted(1, second, "app: collect").answer())
                .isEqualTo(Answer.ATTACH);
        // And the name rule still holds for it.
        assertThat(positions.submitted(1, DriverJobIds.ofRerun(app, 1, 2), "app: other").answer())
                .isEqualTo(Answer.MISMATCH);
    }

    @Test
    void aFailedSubmissionFreesItsPosition() {
        submit(1, "app: a");
        positions.submissionFailed(1, DriverJobIds.ofPosition(app, 1));

        assertThat(submit(1, "app: b").answer())
                .as("the job never ran: whatever comes next at its position is new")
                .isEqualTo(Answer.SUBMIT);
    }

    @Test
    void aFailedSubmissionOfAnotherJobLeavesThePositionAlone() {
        JobID first = DriverJobIds.ofRerun(app, 1, 0);
        JobID second = DriverJobIds.ofRerun(app, 1, 1);
        positions.submitted(1, first, "app: collect");
        positions.submitted(1, second, "app: collect");

        positions.submissionFailed(1, first);

        assertThat(positions.submitted(1, second, "app: collect").answer())
                .isEqualTo(Answer.ATTACH);
    }

    @Test
    void anOldDriverStillSubmittingAheadIsAnsweredLikeAnyEarlierAttempt() {
        // A driver cut off from the cluster may go on a while after its successor started.
        submit(1, "app: a");
        submit(2, "app: b"); // the old driver
        assertThat(submit(1, "app: a").answer()).isEqualTo(Answer.ATTACH); // the new one
        submit(3, "app: c"); // the old driver, ahead
        assertThat(submit(2, "app: b").answer()).isEqualTo(Answer.ATTACH);
        assertThat(submit(3, "app: c").answer()).isEqualTo(Answer.ATTACH);
    }

    @Test
    void idsDependOnApplicationPositionAndForRerunsOnTheAttempt() {
        ApplicationID other = new ApplicationID();
        assertThat(DriverJobIds.ofPosition(app, 1)).isEqualTo(DriverJobIds.ofPosition(app, 1));
        assertThat(DriverJobIds.ofPosition(app, 1))
                .isNotEqualTo(DriverJobIds.ofPosition(app, 2))
                .isNotEqualTo(DriverJobIds.ofPosition(other, 1))
                .isNotEqualTo(DriverJobIds.ofRerun(app, 1, 0))
                .isNotEqualTo(JobID.fromHexString(app.toHexString()));
        assertThat(DriverJobIds.ofRerun(app, 1, 0)).isNotEqualTo(DriverJobIds.ofRerun(app, 1, 1));
    }

    private DriverJobPositions.Decision submit(int position, String name) {
        return positions.submitted(position, DriverJobIds.ofPosition(app, position), name);
    }
}
