package dev.flinkdriver.resources;

/**
 * What YARN's scheduler allows for one container, read by the caller from YARN (the minimum from
 * {@code yarn.scheduler.minimum-allocation-mb/-vcores}, the maximum from the new application's or
 * the AM registration's maximum resource capability). Plain numbers keep YARN's classes out of this
 * module.
 *
 * @param minMemoryMb YARN rounds a request up to a multiple of this
 * @param minVcores YARN rounds a request up to a multiple of this
 * @param maxMemoryMb the largest container YARN grants
 * @param maxVcores the most vcores YARN grants
 */
public record YarnSchedulerLimits(int minMemoryMb, int minVcores, int maxMemoryMb, int maxVcores) {

    public YarnSchedulerLimits {
        if (minMemoryMb <= 0 || minVcores <= 0 || maxMemoryMb <= 0 || maxVcores <= 0) {
            throw new IllegalArgumentException("YARN scheduler limits must be positive: " + this);
        }
    }
}
