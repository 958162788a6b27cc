package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.driver.Driver;
import java.util.concurrent.TimeUnit;

/**
 * The one rule for calls that wait: never on the thread that drives the connection they wait for (its I/O thread,
 * its event loop's thread, or a thread inside {@code poll}), which would have to do the awaited work itself and
 * instead would sit out the call's timeout, reading nothing and answering no keepalive. Such calls fail at once
 * with an {@link IllegalStateException} that names the call, the thread and what to do instead. Thread-safe.
 */
final class Blocking {
    private Blocking() {
    }

    /**
     * @throws IllegalStateException when the calling thread drives {@code driver}'s connection
     * @see #refused
     */
    static void check(Driver driver, String call, String why, String instead) {
        if (driver.isDrivingThread()) {
            throw refused(driver, call, why, instead);
        }
    }

    /**
     * @param call what was called, e.g. {@code "MqttFuture.get()"}
     * @param why why waiting there cannot work, e.g. {@code "which alone can complete it"}
     * @param instead what to do instead
     * @return the exception to throw, e.g. "MqttFuture.get() called on the I/O thread pipit-io-a, which alone can
     *     complete it: use whenComplete(...) or call get() from another thread"
     */
    static IllegalStateException refused(Driver driver, String call, String why, String instead) {
        return new IllegalStateException(call + " called " + driver.drivingThreadRole() + " "
                + Thread.currentThread().getName() + ", " + why + ": " + instead);
    }

    /**
     * Waits up to {@code timeoutMs} for {@code future}, driving the connection meanwhile when in poll mode. Never on
     * the driving thread: {@link #check} first.
     */
    static <T> T await(Driver driver, boolean pollMode, MqttFuture<T> future, long timeoutMs)
            throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (pollMode && !future.isDone() && deadline - System.nanoTime() > 0) {
            driver.poll(Math.min(TimeUnit.MILLISECONDS.toNanos(10), deadline - System.nanoTime()));
        }
        return future.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                TimeUnit.MILLISECONDS);
    }
}
