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

    /**
     * Stops driving the connection (after it was stopped); waits for the driving thread if it owns one, unless
     * called on that thread (or, in poll mode, inside {@link #poll}), where it returns at once and the driving ends
     * when the current unit of work does.
     */
    void stop() throws InterruptedException;

    /**
     * Whether the calling thread drives the connection right now: the client's I/O thread, its event loop's thread
     * (which drives every client on the loop), or, in poll mode, a thread inside {@link #poll}. Such a thread must
     * never wait for the connection's work: it alone would do it. Any thread; allocation-free.
     */
    boolean isDrivingThread();

    /**
     * @return how an error names the driving thread before its name, with the preposition: "on the I/O thread",
     *     "on the event loop thread", "inside poll() on thread"
     */
    String drivingThreadRole();

    /**
     * For poll mode: runs the connection on the calling thread for at most {@code maxWaitNs}.
     *
     * @return units of work done
     * @throws UnsupportedOperationException for drivers that own a thread
     */
    int poll(long maxWaitNs);
}
