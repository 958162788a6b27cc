package io.pipit.mqtt.driver;

/**
 * What runs a client's {@link ClientConnection}: a dedicated I/O thread ({@link IoThreadDriver}), a shared
 * {@link EventLoop}, or the application itself ({@link PollDriver}). Thread-safe.
 */
public interface Driver {
    /** Begins driving the connection. */
    void start();

    /** New work was queued for the connection (a publish, a command): make sure it runs soon. */
    void signal();

    /** Stops driving the connection (after it was stopped); waits for the driving thread if it owns one. */
    void stop() throws InterruptedException;

    /**
     * For poll mode: runs the connection on the calling thread for at most {@code maxWaitNs}.
     *
     * @return units of work done
     * @throws UnsupportedOperationException for drivers that own a thread
     */
    int poll(long maxWaitNs);
}
