package io.pipit.mqtt.driver;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Poll mode: no SDK thread at all. The application calls {@code client.poll(timeout)} from its own loop (like
 * coreMQTT's process loop); all network work and every listener run inside that call. Not thread-safe: poll
 * from one thread; {@link #signal()} from any.
 */
public final class PollDriver implements Driver {
    private final SelectorLoop loop;

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

    @Override
    public void stop() {
        loop.close();
    }

    @Override
    public int poll(long maxWaitNs) {
        try {
            return loop.runOnce(maxWaitNs);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("poll failed: the selector broke: " + e.getMessage(), e);
        }
    }
}
