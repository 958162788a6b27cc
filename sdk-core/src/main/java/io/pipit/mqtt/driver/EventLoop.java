package io.pipit.mqtt.driver;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread serving many clients: gateways bridging hundreds of devices, or load tests. Create one, pass it to
 * each client's builder ({@code MqttClient.builder().eventLoop(loop)}), close it after the clients.
 * Thread-safe.
 *
 * <p>A cycle serves only the clients with something to do (a ready socket, a publish, a timer), so thousands of
 * idle devices cost nothing between their messages. Listeners run on the loop's thread, so one slow listener
 * slows every client on the loop; give clients with slow listeners their own thread. For the same reason a
 * listener must not wait for the result of any client on the loop (its own or another's): the calls that would
 * wait throw {@link IllegalStateException} there instead, see {@code MqttClient}.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    private final SelectorLoop loop;
    private final Thread thread;
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    /** Starts the loop's thread, named {@code threadName}. */
    public EventLoop(String threadName) throws IOException {
        this.loop = new SelectorLoop();
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a driver that runs {@code connection} on this loop */
    public Driver driverFor(ClientConnection connection) {
        LoopEntry entry = new LoopEntry(connection);
        return new Driver() {
            @Override
            public void start() {
                changes.add(() -> loop.add(entry));
                loop.wakeUp();
            }

            @Override
            public void signal() {
                loop.signal(entry);
            }

            @Override
            public void stop() {
                changes.add(() -> loop.remove(entry));
                loop.wakeUp();
            }

            @Override
            public boolean isDrivingThread() {
                return Thread.currentThread() == thread;
            }

            @Override
            public String drivingThreadRole() {
                return "on the event loop thread";
            }

            @Override
            public int poll(long maxWaitNs) {
                throw new UnsupportedOperationException("this client runs on an event loop; poll() is for poll mode");
            }
        };
    }

    /** @return the number of clients on the loop */
    public int clientCount() {
        return loop.size();
    }

    private void run() {
        try {
            while (running) {
                Runnable change;
                while ((change = changes.poll()) != null) {
                    change.run();
                }
                loop.runOnce(Long.MAX_VALUE / 2);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("event loop {} failed; its clients stop being served", thread.getName(), e);
            loop.failAll("the event loop failed: " + e);
        } finally {
            loop.close();
        }
    }

    /** Stops the loop's thread and waits for it (up to 10 s); close the clients on it first. */
    @Override
    public void close() {
        running = false;
        loop.wakeUp();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // keep the caller's interrupt; the thread stops on its own
            }
        }
    }
}
