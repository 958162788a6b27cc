package io.pipit.mqtt.driver;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets publishing threads sleep while the outbound queue is full, instead of spinning: the driving thread bumps a
 * generation after each unit of work that did something (which is when queue space can free up: a QoS 0 publish
 * sent, a QoS 1 or 2 publish acknowledged), but only while someone waits, so it costs the driver one volatile read
 * otherwise. Allocation-free. Thread-safe.
 *
 * <p>A waiter {@link #enter}s before its first attempt and reads the {@link #generation()} before each attempt, so
 * space freed between a failed attempt and {@link #awaitChange} is never missed.
 */
public final class QueueSpace {
    private final Object monitor = new Object();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile long generation;

    /** A publisher is about to try, and may wait: from now on the driver reports freed space. */
    public void enter() {
        waiters.incrementAndGet();
    }

    /** The publisher that {@link #enter}ed is done. */
    public void exit() {
        waiters.decrementAndGet();
    }

    /** @return the current generation; read it before an attempt, pass it to {@link #awaitChange} after */
    public long generation() {
        return generation;
    }

    /**
     * Waits until the driver did work since {@code seen} was read, or until {@code deadlineNs} ({@link
     * System#nanoTime()}).
     *
     * @return false when the deadline passed first
     */
    public boolean awaitChange(long seen, long deadlineNs) throws InterruptedException {
        synchronized (monitor) {
            while (generation == seen) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, leftNs);
            }
            return true;
        }
    }

    /** Driving thread, after a unit of work that did something: wake waiters, if any. */
    void workDone() {
        if (waiters.get() > 0) {
            synchronized (monitor) {
                generation++;
                monitor.notifyAll();
            }
        }
    }
}
