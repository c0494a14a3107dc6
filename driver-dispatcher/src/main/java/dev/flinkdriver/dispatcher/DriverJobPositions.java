package dev.flinkdriver.dispatcher;

import dev.flinkdriver.api.DriverJobIds;

import org.apache.flink.api.common.JobID;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Which job main() submitted at each position, and how a restarted driver's submission at a known
 * position is answered. Jobs are submitted exactly once per position in main():
 *
 * <ul>
 *   <li>the same job (same id, same name) is answered with the job already there: finished, running
 *       or failed, the restarted main() sees its result as the first attempt did;
 *   <li>a job whose rows go to main() gets a new id per driver attempt (see {@link
 *       DriverJobIds#ofRerun}) and replaces the earlier one, whose rows are lost with the driver;
 *   <li>a job with another name than the earlier attempt's at that position means main() takes a
 *       different path now: running another set of jobs silently would be worse than failing.
 * </ul>
 *
 * <p>Pure bookkeeping, so that every order of events can be unit-tested. Not thread-safe: the
 * dispatcher calls it from its main thread only.
 */
final class DriverJobPositions {

    /** How a submission is answered. */
    enum Answer {
        /** A position not seen before: submit the job. */
        SUBMIT,
        /** An earlier attempt submitted this job: answer with it, submit nothing. */
        ATTACH,
        /** The job replaces the earlier one at its position ({@link Decision#replaced()}). */
        REPLACE,
        /** Another job than the earlier attempt's at this position: fail the application. */
        MISMATCH
    }

    /**
     * @param replaced the job this one replaces ({@link Answer#REPLACE})
     * @param message why the submission is refused ({@link Answer#MISMATCH})
     */
    record Decision(Answer answer, @Nullable JobID replaced, @Nullable String message) {}

    /**
     * The job at a position.
     *
     * @param name the job's name in Flink (prefixed by the driver)
     * @param programName the name main() gave it
     */
    record Submitted(int position, JobID jobId, String name, String programName) {}

    private final Map<Integer, Submitted> byPosition = new HashMap<>();

    /**
     * As {@link #submitted(int, JobID, String, String)} for a job whose program name is unknown.
     */
    Decision submitted(int position, JobID jobId, String name) {
        return submitted(position, jobId, name, name);
    }

    /**
     * Records the submission unless it is refused, and says how to answer it.
     *
     * @param programName the name main() gave the job
     */
    Decision submitted(int position, JobID jobId, String name, String programName) {
        checkArgument(position > 0, "Positions start at 1: %s", position);
        checkNotNull(jobId);
        checkNotNull(name);
        checkNotNull(programName);
        Submitted earlier = byPosition.get(position);
        if (earlier == null) {
            byPosition.put(position, new Submitted(position, jobId, name, programName));
            return new Decision(Answer.SUBMIT, null, null);
        }
        if (!earlier.name().equals(name)) {
            return new Decision(
                    Answer.MISMATCH,
                    null,
                    String.format(
                            "The restarted driver submitted '%s' as job #%d, but the earlier"
                                    + " attempt's job #%d was '%s' (%s): main() must submit the"
                                    + " same jobs in the same order when it runs again.",
                            name, position, position, earlier.name(), earlier.jobId()));
        }
        if (earlier.jobId().equals(jobId)) {
            return new Decision(Answer.ATTACH, null, null);
        }
        byPosition.put(position, new Submitted(position, jobId, name, programName));
        return new Decision(Answer.REPLACE, earlier.jobId(), null);
    }

    /** The job at each position, by position. */
    List<Submitted> jobs() {
        List<Submitted> jobs = new ArrayList<>(byPosition.values());
        jobs.sort(Comparator.comparingInt(Submitted::position));
        return jobs;
    }

    /** The job never ran: a later submission at its position is a new one. */
    void submissionFailed(int position, JobID jobId) {
        Submitted earlier = byPosition.get(position);
        if (earlier != null && earlier.jobId().equals(jobId)) {
            byPosition.remove(position);
        }
    }
}
