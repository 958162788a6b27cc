package io.pipit.bench.e2e;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Completion counters and the in-flight window a {@link ClientPair} of a peer library shares between its
 * publishing thread and the library's completion thread. Thread-safe.
 */
final class PairCounters {
    /** Publishes a peer may have in flight before {@link ClientPair#publish} returns false. */
    static final int WINDOW = 1_024;

    private final Semaphore window = new Semaphore(WINDOW);
    private final PublishCompletions completions = new PublishCompletions();

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
        completions.completed(failed);
        window.release();
    }

    PublishCompletions completions() {
        return completions;
    }
}
