package dev.flinkdriver.resources;

/**
 * A YARN container: what Flink asks for and what YARN grants after normalisation.
 *
 * @param requestedMemoryMb what Flink's YARN driver puts into the container request
 * @param requestedVcores what Flink's YARN driver puts into the container request
 * @param memoryMb the request rounded up the way YARN's scheduler normalises it
 * @param vcores the request rounded up the way YARN's scheduler normalises it (YARN's default
 *     resource calculator ignores vcores altogether)
 */
public record YarnContainerSize(
        long requestedMemoryMb, int requestedVcores, long memoryMb, int vcores) {}
