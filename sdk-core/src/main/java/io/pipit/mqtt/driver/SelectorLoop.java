package io.pipit.mqtt.driver;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty cycle every driver runs: give each {@link ClientConnection} a unit of work, and when none has
 * anything to do, wait in one {@link Selector} until a socket is ready, a deadline passes or another thread
 * {@link #signal()}s. A dedicated I/O thread runs it for one client, an {@link EventLoop} for many, and poll
 * mode on the application's thread.
 *
 * <p>The selector's selected-key set is never cleared: every connection is given work on each cycle anyway,
 * and leaving keys in the set stops the JDK from allocating a set entry per wake-up (zero allocation).
 *
 * <p>Thread-safety: {@link #signal()} from any thread; {@link #add}, {@link #remove} and {@link #runOnce}
 * on the driving thread only.
 */
final class SelectorLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);

    private final Selector selector;
    private final NanoClock clock;
    private ClientConnection[] connections = new ClientConnection[1];
    private SelectableChannel[] registered = new SelectableChannel[1];
    private SelectionKey[] keys = new SelectionKey[1];
    private int size;
    private volatile boolean sleeping;
    private volatile boolean signalled;

    SelectorLoop() throws IOException {
        this(NanoClock.SYSTEM);
    }

    SelectorLoop(NanoClock clock) throws IOException {
        this.selector = Selector.open();
        this.clock = clock;
    }

    void add(ClientConnection connection) {
        if (size == connections.length) {
            connections = Arrays.copyOf(connections, size * 2);
            registered = Arrays.copyOf(registered, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        connections[size++] = connection;
    }

    void remove(ClientConnection connection) {
        for (int i = 0; i < size; i++) {
            if (connections[i] == connection) {
                if (keys[i] != null) {
                    keys[i].cancel();
                }
                size--;
                connections[i] = connections[size];
                registered[i] = registered[size];
                keys[i] = keys[size];
                connections[size] = null;
                registered[size] = null;
                keys[size] = null;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    /** The driving thread is dying: fail every connection so their clients hear of it. */
    void failAll(String detail) {
        for (int i = 0; i < size; i++) {
            connections[i].fail(detail);
        }
    }

    /** Wakes the loop if it waits: new work was queued. Allocation-free. */
    void signal() {
        signalled = true;
        if (sleeping) {
            selector.wakeup();
        }
    }

    /**
     * One cycle: work until there is none, then wait at most {@code maxWaitNs} for readiness, a deadline or a
     * signal, then work once more.
     *
     * @return units of work done
     */
    int runOnce(long maxWaitNs) throws IOException {
        long nowNs = clock.nanoTime();
        int work = workAll(nowNs);
        if (work > 0) {
            return work;
        }
        long deadlineNs = nowNs + maxWaitNs;
        for (int i = 0; i < size; i++) {
            register(i);
            deadlineNs = Math.min(deadlineNs, connections[i].deadlineNs(nowNs));
        }
        sleepUntil(deadlineNs, nowNs);
        return workAll(clock.nanoTime());
    }

    private int workAll(long nowNs) {
        int work = 0;
        for (int i = 0; i < size; i++) {
            work += connections[i].doWork(nowNs);
        }
        return work;
    }

    private void register(int i) throws ClosedChannelException {
        ClientConnection connection = connections[i];
        SelectableChannel channel = connection.transport() == null ? null : connection.transport().channel();
        if (channel != registered[i]) {
            if (keys[i] != null) {
                keys[i].cancel();
            }
            keys[i] = channel == null ? null : channel.register(selector, connection.interestOps());
            registered[i] = channel;
        } else if (keys[i] != null && keys[i].isValid() && keys[i].interestOps() != connection.interestOps()) {
            keys[i].interestOps(connection.interestOps());
        }
    }

    private void sleepUntil(long deadlineNs, long nowNs) throws IOException {
        sleeping = true;
        if (!signalled) {
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

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing a driver's selector failed", e);
        }
    }
}
