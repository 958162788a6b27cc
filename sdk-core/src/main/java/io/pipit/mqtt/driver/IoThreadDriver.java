package io.pipit.mqtt.driver;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default driver: one named daemon thread per client that runs its {@link ClientConnection}, sleeping
 * when there is nothing to do. Publishing threads wake it with {@link #signal()}, which costs a selector
 * wake-up only when the thread is actually asleep. Thread-safe.
 */
public final class IoThreadDriver implements Driver {
    private static final Logger LOG = LoggerFactory.getLogger(IoThreadDriver.class);

    private final ClientConnection connection;
    private final SelectorLoop loop;
    private final Thread thread;
    private volatile boolean running = true;

    public IoThreadDriver(ClientConnection connection, String threadName) throws IOException {
        this(connection, threadName, NanoClock.SYSTEM);
    }

    /** Drives {@code connection} on its timers' {@code clock}. */
    public IoThreadDriver(ClientConnection connection, String threadName, NanoClock clock) throws IOException {
        this.connection = connection;
        this.loop = new SelectorLoop(clock);
        loop.add(connection);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void signal() {
        loop.wakeUp();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        loop.wakeUp();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Override
    public boolean isDrivingThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public String drivingThreadRole() {
        return "on the I/O thread";
    }

    @Override
    public int poll(long maxWaitNs) {
        throw new UnsupportedOperationException("this client runs on its own I/O thread; poll() is for poll mode");
    }

    private void run() {
        try {
            while (running) {
                loop.runOnce(Long.MAX_VALUE / 2);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("I/O thread {} failed; the client stops", thread.getName(), e);
            connection.fail("the I/O thread failed: " + e);
        } finally {
            loop.close();
        }
    }
}
