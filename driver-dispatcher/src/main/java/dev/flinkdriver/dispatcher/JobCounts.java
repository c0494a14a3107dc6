package dev.flinkdriver.dispatcher;

/** How the jobs main() submitted ended, for the one-line summary. */
public final class JobCounts {

    private final int finished;
    private final int failed;
    private final int cancelled;

    public JobCounts(int finished, int failed, int cancelled) {
        this.finished = finished;
        this.failed = failed;
        this.cancelled = cancelled;
    }

    public int getFinished() {
        return finished;
    }

    public int getFailed() {
        return failed;
    }

    public int getCancelled() {
        return cancelled;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof JobCounts)) {
            return false;
        }
        JobCounts that = (JobCounts) o;
        return finished == that.finished && failed == that.failed && cancelled == that.cancelled;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * finished + failed) + cancelled;
    }

    @Override
    public String toString() {
        return finished + " finished, " + failed + " failed, " + cancelled + " cancelled";
    }
}
