package io.pipit.mqtt.driver;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default driver: one named thread per client that runs its {@link ClientConnection}, sleeping in a
 * {@link Selector} when there is nothing to do. Publishing threads wake it with {@link #signal()}, which costs
 * a selector wake-up only when the thread is actually asleep.
 *
 * <p>The selector's selected-key set is never cleared: with a single channel there is nothing to learn from
 * it, and leaving the key in the set stops the JDK from allocating a set entry on every wake-up.
 *
 * <p>Thread-safe: {@link #signal()} and {@link #stop()} from any thread.
 */
public final class IoThreadDriver {
    private static final Logger LOG = LoggerFactory.getLogger(IoThreadDriver.class);

    private final ClientConnection connection;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    private volatile boolean signalled;
    private SelectableChannel registered;
    private SelectionKey key;

    public IoThreadDriver(ClientConnection connection, String threadName) throws IOException {
        this.connection = connection;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Wakes the I/O thread if it sleeps: new work was queued. Allocation-free. */
    public void signal() {
        signalled = true;
        if (sleeping) {
            selector.wakeup();
        }
    }

    /** Stops the thread after its current unit of work and waits for it; the connection must be stopped. */
    public void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** @return true when called on this driver's I/O thread */
    public boolean isIoThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        try {
            while (running) {
                long nowNs = System.nanoTime();
                if (connection.doWork(nowNs) > 0) {
                    continue;
                }
                register();
                sleepUntil(connection.deadlineNs(nowNs), nowNs);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("I/O thread {} failed; the client stops", thread.getName(), e);
            connection.stop(io.pipit.mqtt.ReasonCode.UNSPECIFIED_ERROR, System.nanoTime(), 0);
        } finally {
            closeSelector();
        }
    }

    private void register() throws ClosedChannelException {
        SelectableChannel channel = connection.transport() == null ? null : connection.transport().channel();
        if (channel != registered) {
            if (key != null) {
                key.cancel();
            }
            key = channel == null ? null : channel.register(selector, connection.interestOps());
            registered = channel;
        } else if (key != null && key.isValid() && key.interestOps() != connection.interestOps()) {
            key.interestOps(connection.interestOps());
        }
    }

    private void sleepUntil(long deadlineNs, long nowNs) throws IOException {
        sleeping = true;
        if (!signalled && running) {
            long waitNs = deadlineNs - nowNs;
            if (waitNs > 0) {
                // round up: a 0 ms timeout would mean "forever", and waking early only spins
                long ms = deadlineNs == Long.MAX_VALUE ? 0 : Math.max(1, (waitNs + 999_999) / 1_000_000);
                selector.select(ms);
            }
        }
        sleeping = false;
        signalled = false;
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing the selector of {} failed", thread.getName(), e);
        }
    }
}
