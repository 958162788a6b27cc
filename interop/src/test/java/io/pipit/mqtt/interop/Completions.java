package io.pipit.mqtt.interop;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.PublishListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers how each publish ended (PUBACK, PUBCOMP, or written for QoS 0) so the test thread can wait for
 * one. Thread-safe: the client's I/O thread records, the test thread awaits.
 */
final class Completions implements PublishListener {
    private final ConcurrentHashMap<Long, Integer> done = new ConcurrentHashMap<>();

    @Override
    public void onPublishCompleted(long sequence, int reasonCode) {
        done.put(sequence, reasonCode);
        synchronized (this) {
            notifyAll();
        }
    }

    /** Waits until publishes {@code first..last} all completed, and fails on a refusal or after {@code seconds}. */
    synchronized void awaitSuccess(long first, long last, long seconds) throws InterruptedException {
        if (first < 0) {
            throw new AssertionError("the client's outbound queue refused the publish");
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long sequence = first; sequence <= last; sequence++) {
            Integer code;
            while ((code = done.get(sequence)) == null) {
                final long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    throw new AssertionError("publish #" + sequence + " not acknowledged within " + seconds + " s ("
                            + (sequence - first) + " of " + (last - first + 1) + " were)");
                }
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            }
            if (ReasonCode.isError(code)) {
                throw new AssertionError("publish #" + sequence + " refused: " + ReasonCode.describe(code));
            }
        }
    }

    /** {@link #awaitSuccess(long, long, long)} for one publish. */
    void awaitSuccess(long sequence, long seconds) throws InterruptedException {
        awaitSuccess(sequence, sequence, seconds);
    }
}
