package io.pipit.bench.e2e;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completion counters and the in-flight window a {@link ClientPair} of a peer library shares between its
 * publishing thread and the library's completion thread. Thread-safe.
 */
final class PairCounters {
    /** Publishes a peer may have in flight before {@link ClientPair#publish} returns false. */
    static final int WINDOW = 1_024;

    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long lastCompletionNs;

    /**
     * Waits up to {@link ClientPair#WINDOW_WAIT_MS} for a permit.
     *
     * @return true when a publish may start (it then must end in {@link #completed})
     */
    boolean tryStart() throws InterruptedException {
        return window.tryAcquire(ClientPair.WINDOW_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Records one publish's end, called on the library's thread. */
    void completed(boolean failed) {
        if (failed) {
            errors.incrementAndGet();
        }
        lastCompletionNs = System.nanoTime();
        completed.incrementAndGet();
        window.release();
    }

    long completedCount() {
        return completed.get();
    }

    long errorCount() {
        return errors.get();
    }

    long lastCompletionNs() {
        return lastCompletionNs;
    }
}
