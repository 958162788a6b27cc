package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.driver.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of an asynchronous client operation (connect, subscribe, unsubscribe, request). Thread-safe:
 * completed on the thread that drives the client's connection (its I/O thread, its event loop's thread, or in
 * poll mode the thread inside {@code poll}), awaited or observed from any thread. A small class of its own
 * because sdk-core runs on Android API 21, which has no {@code CompletableFuture}. Allocates (set-up work, not
 * the message path).
 *
 * <p>Two ways to get the result: {@link #whenComplete} never blocks and works on every thread, listeners
 * included; {@link #get} waits, and so is refused on the one thread that could complete the future (see there).
 *
 * @param <T> the result type
 */
public final class MqttFuture<T> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFuture.class);

    /**
     * Hears the outcome of an {@link MqttFuture} (java.util.function is Android API 24+).
     *
     * @param <T> the result type
     */
    public interface Callback<T> {
        /**
         * @param value the result, or null when the operation failed
         * @param failure the operation's failure, or null when it succeeded
         */
        void onComplete(T value, MqttException failure);
    }

    /** Drives the connection that completes this future, or null when that is no client's. */
    private final Driver driver;
    private T value;
    private MqttException failure;
    private boolean done;
    /** Callbacks waiting for the outcome, made by the first {@link #whenComplete} before it. */
    private List<Callback<? super T>> callbacks;

    /** A future completed by none of the client's threads: {@link #get} waits on any thread. */
    public MqttFuture() {
        this(null);
    }

    /** A future completed by the connection {@code driver} drives; null for none. */
    MqttFuture(Driver driver) {
        this.driver = driver;
    }

    void complete(T result) {
        finish(result, null);
    }

    void fail(MqttException cause) {
        finish(null, cause);
    }

    private void finish(T result, MqttException cause) {
        List<Callback<? super T>> waiting;
        synchronized (this) {
            if (done) {
                return;
            }
            value = result;
            failure = cause;
            done = true;
            notifyAll();
            waiting = callbacks;
            callbacks = null;
        }
        if (waiting != null) {
            for (Callback<? super T> callback : waiting) {
                call(callback, result, cause);
            }
        }
    }

    /** @return true once completed or failed */
    public synchronized boolean isDone() {
        return done;
    }

    /**
     * Calls {@code callback} with the outcome once there is one: at once on the calling thread when the future is
     * done already, else on the thread that completes it, which drives the client's connection (its I/O thread,
     * its event loop's thread, or in poll mode the thread inside {@code poll}). There it runs like a listener:
     * keep it short, and do not wait in it for other results of a client on that thread (a blocking call there
     * throws {@link IllegalStateException}); starting new requests, publishing, {@code get} on this (done)
     * future, {@code disconnect()} and {@code close()} are fine. An exception it throws is logged, and the other
     * callbacks still run. Callbacks run in the order they were added.
     *
     * @return this future
     */
    public MqttFuture<T> whenComplete(Callback<? super T> callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
        synchronized (this) {
            if (!done) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                return this;
            }
        }
        call(callback, value, failure); // done: value and failure never change again
        return this;
    }

    private static <T> void call(Callback<? super T> callback, T value, MqttException failure) {
        try {
            callback.onComplete(value, failure);
        } catch (RuntimeException e) {
            // the callback's bug must not stop the other callbacks or the thread that completed the future
            LOG.error("MqttFuture callback {} failed", callback, e);
        }
    }

    /**
     * Waits for the result. Returns (or throws the failure) at once on any thread when the future is done.
     *
     * <p>While it is not done, waiting on the thread that would complete it could only time out: that thread is
     * the one driving the client's connection, which reads nothing, answers no keepalive and completes nothing
     * while it waits. There, that is inside a listener or callback of this client (or of any client on the same
     * event loop, or in poll mode inside {@code poll}), a wait is refused at once with an
     * {@link IllegalStateException}: use {@link #whenComplete} instead, or wait on another thread. A timeout of
     * 0 waits for nothing and is allowed everywhere.
     *
     * @throws MqttException the operation's failure, or a timeout (reason code -1) when it did not finish
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws IllegalStateException when called to wait on the thread that drives the client's connection
     */
    public synchronized T get(long timeout, TimeUnit unit) throws MqttException, InterruptedException {
        long waitNs = unit.toNanos(timeout);
        if (!done && waitNs > 0 && driver != null && driver.isDrivingThread()) {
            throw Blocking.refused(driver, "MqttFuture.get()", "which alone can complete it",
                    "use whenComplete(...) or call get() from another thread");
        }
        long deadline = System.nanoTime() + waitNs;
        while (!done) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new MqttException(MqttException.NO_REASON_CODE, "no result within " + unit.toMillis(timeout)
                        + " ms");
            }
            wait(leftMs);
        }
        if (failure != null) {
            throw MqttException.rethrow(failure);
        }
        return value;
    }
}
