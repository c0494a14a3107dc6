package dev.flinkdriver.dispatcher;

import java.util.Arrays;

/**
 * The driver application's progress as YARN shows it, at any moment: one snapshot of what the
 * application has done, evaluated against the clock whenever YARN's heartbeat asks.
 *
 * <p>main() decides at run time how many jobs it submits, so while it runs the total work is
 * unknown and every share of "jobs known so far" is a guess that leaps towards 100 % for a main()
 * that submits its jobs one after another. The fraction therefore has two regimes:
 *
 * <ul>
 *   <li><b>Work done</b> {@code W} counts the application's NORMAL jobs: 1 for each job that ended,
 *       and for each running job the share of its expected duration it has run, {@code e/(e+d)},
 *       where {@code d} is the mean duration of the jobs that ended (30 s before any did). A
 *       running job thus moves the bar while it runs and never counts as done.
 *   <li><b>While main() runs</b> the bar shows {@code ln(1+W) / (ln(1+W) + ln(1+10))}: half way
 *       after 10 jobs' worth of work, two thirds after 120, so it moves with every job but never
 *       nears 100 % however many jobs follow; and never more than the share of the jobs known so
 *       far, {@code W/K}, so jobs submitted at once hold it back until they run.
 *   <li><b>Once main() has returned</b> every job is known: the bar shows {@code W/K}.
 * </ul>
 *
 * <p>DAEMON jobs and the driver's own work count nothing. The value stays below {@link #CAP} until
 * the application has ended; {@link DriverDiagnostics} keeps it from moving backwards.
 */
public final class ProgressEstimate {

    /** Jobs' worth of work at which the bar is half way while main() runs. */
    static final double HALF_WAY_JOBS = 10;

    /** A running job's expected duration before any job of the application ended. */
    static final long FIRST_JOB_EXPECTED_MILLIS = 30_000;

    /** Below 1: YARN shows 100 % only for an application that has ended. */
    static final double CAP = 0.99;

    static final ProgressEstimate NOTHING = new ProgressEstimate(0, 0, 0, 0, new long[0], true);

    private final int known;
    private final int ended;
    private final int timedEnded;
    private final long timedEndedMillis;
    private final long[] runningSince;
    private final boolean driverRunning;

    /**
     * @param known NORMAL jobs known, ended or not
     * @param ended NORMAL jobs that ended
     * @param timedEnded those of them whose duration was observed (not ended under an earlier
     *     JobManager)
     * @param timedEndedMillis their summed durations
     * @param runningSince start time (epoch millis) of each running NORMAL job
     * @param driverRunning main() may still submit jobs
     */
    ProgressEstimate(
            int known,
            int ended,
            int timedEnded,
            long timedEndedMillis,
            long[] runningSince,
            boolean driverRunning) {
        this.known = known;
        this.ended = ended;
        this.timedEnded = timedEnded;
        this.timedEndedMillis = timedEndedMillis;
        this.runningSince = runningSince.clone();
        this.driverRunning = driverRunning;
    }

    /** The fraction at the given time (epoch millis), between 0 and {@link #CAP}. */
    public double at(long nowMillis) {
        if (known == 0) {
            return driverRunning ? 0.0 : CAP;
        }
        double work = workDone(nowMillis);
        double ofKnown = work / known;
        double fraction =
                driverRunning
                        ? Math.min(
                                ofKnown,
                                Math.log1p(work) / (Math.log1p(work) + Math.log1p(HALF_WAY_JOBS)))
                        : ofKnown;
        return Math.max(0.0, Math.min(CAP, fraction));
    }

    private double workDone(long nowMillis) {
        double expected =
                timedEnded > 0
                        ? Math.max(1.0, (double) timedEndedMillis / timedEnded)
                        : FIRST_JOB_EXPECTED_MILLIS;
        double work = ended;
        for (long since : runningSince) {
            double elapsed = Math.max(0, nowMillis - since);
            work += elapsed / (elapsed + expected);
        }
        return work;
    }

    @Override
    public String toString() {
        return "ProgressEstimate{known="
                + known
                + ", ended="
                + ended
                + ", running since "
                + Arrays.toString(runningSince)
                + ", driverRunning="
                + driverRunning
                + '}';
    }
}
