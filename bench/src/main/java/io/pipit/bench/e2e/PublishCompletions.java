package io.pipit.bench.e2e;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.PublishListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a publisher's completed publishes, and those that completed with an error: pipit's as its
 * {@link PublishListener} on its I/O thread, a peer's through {@link #completed(boolean)} from the library's
 * completion thread. Allocation-free. Thread-safety: one thread completes, any thread reads.
 */
final class PublishCompletions implements PublishListener {
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long lastCompletionNs;

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        completed(reasonCode >= ReasonCode.UNSPECIFIED_ERROR);
    }

    /** Records one publish's end. */
    void completed(boolean failed) {
        if (failed) {
            errors.incrementAndGet();
        }
        lastCompletionNs = System.nanoTime();
        completed.incrementAndGet();
    }

    long completedCount() {
        return completed.get();
    }

    long errorCount() {
        return errors.get();
    }

    /** @return {@link System#nanoTime()} of the last completion, or 0 before the first */
    long lastCompletionNs() {
        return lastCompletionNs;
    }
}
