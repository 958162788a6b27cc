package io.pipit.bench.e2e;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.PublishListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a pipit publisher's completed publishes, and those that completed with an error, on its I/O thread;
 * allocation-free. Thread-safety: one thread completes, any thread reads.
 */
final class PublishCompletions implements PublishListener {
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long lastCompletionNs;

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        if (reasonCode >= ReasonCode.UNSPECIFIED_ERROR) {
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
