package io.pipit.mqtt.driver;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Poll mode: no SDK thread at all. The application calls {@code client.poll(timeout)} from its own loop (like
 * coreMQTT's process loop); all network work and every listener run inside that call. Not thread-safe: poll
 * from one thread; {@link #signal()} and {@link #isDrivingThread()} from any.
 */
public final class PollDriver implements Driver {
    private final SelectorLoop loop;
    /** The thread inside {@link #poll} right now, or null. */
    private volatile Thread polling;
    /** {@link #stop} was called inside {@link #poll}: the selector closes when that poll returns. */
    private boolean closeAfterPoll;
    private volatile boolean closed;

    public PollDriver(ClientConnection connection) throws IOException {
        this(connection, NanoClock.SYSTEM);
    }

    /** Drives {@code connection} on its timers' {@code clock}. */
    public PollDriver(ClientConnection connection, NanoClock clock) throws IOException {
        this.loop = new SelectorLoop(clock);
        loop.add(connection);
    }

    @Override
    public void start() {
        // nothing to start: the application drives
    }

    @Override
    public void signal() {
        loop.wakeUp();
    }

    /** Closes the selector; inside {@link #poll} (a listener closing the client) once that poll returns. */
    @Override
    public void stop() {
        if (polling == Thread.currentThread()) {
            closeAfterPoll = true;
            return;
        }
        close();
    }

    @Override
    public boolean isDrivingThread() {
        return polling == Thread.currentThread();
    }

    @Override
    public String drivingThreadRole() {
        return "inside poll() on thread";
    }

    /**
     * @throws IllegalStateException when called inside a listener that this driver's {@code poll} called, or after
     *     the client was closed
     */
    @Override
    public int poll(long maxWaitNs) {
        if (polling == Thread.currentThread()) {
            throw new IllegalStateException("MqttClient.poll() called inside poll() on thread "
                    + Thread.currentThread().getName() + " (from a listener): return from the listener instead;"
                    + " the poll() that called it goes on");
        }
        if (closed) {
            throw new IllegalStateException("MqttClient.poll() called after the client was closed");
        }
        polling = Thread.currentThread();
        try {
            return loop.runOnce(maxWaitNs);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("poll failed: the selector broke: " + e.getMessage(), e);
        } finally {
            polling = null;
            if (closeAfterPoll) {
                close();
            }
        }
    }

    private void close() {
        closed = true;
        closeAfterPoll = false;
        loop.close();
    }
}
