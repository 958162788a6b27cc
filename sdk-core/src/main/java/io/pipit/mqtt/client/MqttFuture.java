package io.pipit.mqtt.client;

import io.pipit.mqtt.MqttException;
import java.util.concurrent.TimeUnit;

/**
 * The result of an asynchronous client operation (connect, subscribe, unsubscribe). Thread-safe: completed
 * on the client's I/O thread, awaited from any thread. A small class of its own because sdk-core runs on
 * Android API 21, which has no {@code CompletableFuture}.
 *
 * @param <T> the result type
 */
public final class MqttFuture<T> {
    private T value;
    private MqttException failure;
    private boolean done;

    synchronized void complete(T result) {
        if (!done) {
            value = result;
            done = true;
            notifyAll();
        }
    }

    synchronized void fail(MqttException cause) {
        if (!done) {
            failure = cause;
            done = true;
            notifyAll();
        }
    }

    /** @return true once completed or failed */
    public synchronized boolean isDone() {
        return done;
    }

    /**
     * Waits for the result.
     *
     * @throws MqttException the operation's failure, or a timeout (reason code -1) when it did not finish
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public synchronized T get(long timeout, TimeUnit unit) throws MqttException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
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
