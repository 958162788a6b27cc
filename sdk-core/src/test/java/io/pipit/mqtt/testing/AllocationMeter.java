package io.pipit.mqtt.testing;

import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * Counts the bytes the calling thread allocates, for the zero-allocation contract's exact-zero assertions.
 *
 * <p>A measured loop runs several times and the least any round allocated is reported. A real per-call
 * allocation shows in every round; a one-off that the JVM makes on the thread while it recompiles or
 * deoptimises a method (seen as about 1.4 KB once, on a loaded machine) shows in one round only, and must not fail
 * a contract about steady state. Not thread-safe: one meter, one measuring thread.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final int rounds;
    private long checksum;

    /** @param rounds how many times to run the measured loop (at least 2 for the one-off to be filtered out) */
    public AllocationMeter(int rounds) {
        if (rounds < 2) {
            throw new IllegalArgumentException("rounds must be at least 2, not " + rounds);
        }
        this.rounds = rounds;
    }

    /**
     * Runs {@code loop} {@code rounds} times on this thread.
     *
     * @param loop the measured work; returns a checksum so the JIT cannot drop it, kept by {@link #lastChecksum}
     * @return the fewest bytes any round allocated
     */
    public long leastBytesPerRound(IntSupplier loop) {
        return leastBytesPerRound(new long[] {Thread.currentThread().getId()}, loop);
    }

    /**
     * Runs {@code loop} {@code rounds} times on this thread, counting what the given threads allocate together:
     * the caller's and the I/O threads that work for it, for an end-to-end measurement.
     *
     * @param threadIds the threads whose allocations count (the caller's too, if it is to count)
     * @param loop the measured work; returns a checksum, kept by {@link #lastChecksum}
     * @return the fewest bytes any round allocated on those threads together
     */
    public long leastBytesPerRound(long[] threadIds, IntSupplier loop) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long before = sum(threadIds);
            checksum = loop.getAsInt();
            least = Math.min(least, sum(threadIds) - before);
        }
        return least;
    }

    /** One thread at a time: the array form of getThreadAllocatedBytes allocates its result on this thread. */
    private static long sum(long[] threadIds) {
        long sum = 0;
        for (long threadId : threadIds) {
            long bytes = THREADS.getThreadAllocatedBytes(threadId);
            if (bytes < 0) {
                throw new IllegalStateException("thread " + threadId + " ended, or allocation counting is off");
            }
            sum += bytes;
        }
        return sum;
    }

    /** @return what the last round's loop returned, for the caller to check the work really ran */
    public long lastChecksum() {
        return checksum;
    }
}
