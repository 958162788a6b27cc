package io.pipit.mqtt.driver;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty cycle every driver runs: give {@link ClientConnection}s units of work, and when none has anything to
 * do, wait in one {@link Selector} until a socket is ready, a deadline passes or another thread signals. A
 * dedicated I/O thread runs it for one client, an {@link EventLoop} for many, and poll mode on the application's
 * thread.
 *
 * <p>Two ways to pick whom to serve, both allocation-free:
 * <ul>
 * <li><b>Scanning</b> (one connection, or a platform without {@link ReadySelect}): every connection works on every
 * cycle. For one connection nothing is cheaper: a busy connection is served again at once, without asking the
 * selector. The selected-key set is never cleared: nobody reads it, and leaving keys in it stops the JDK from
 * allocating a set entry per wake-up.
 * <li><b>Readiness</b> (several connections on Java 11+): a cycle serves only the connections whose socket is
 * ready, that were signalled, whose deadline passed ({@link DeadlineHeap}), or that did work last cycle and may
 * have more. Ten thousand idle devices then cost nothing per cycle; with scanning, each cycle made one read
 * system call per connection, so connecting a large fleet slowed down quadratically.
 * </ul>
 *
 * <p>Thread-safety: {@link #signal} and {@link #wakeUp} from any thread; everything else on the driving thread.
 */
final class SelectorLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);
    /** Loops with at most this many connections scan. */
    private static final int SCAN_LIMIT = 1;
    /** Yield-and-read rounds before sleeping while an acknowledgement is due (each a few microseconds). */
    private static final int ACK_SPINS = 20;

    private final Selector selector;
    private final NanoClock clock;
    private final ReadySelect readySelect;
    private final DeadlineHeap deadlines = new DeadlineHeap();
    private final AtomicReference<LoopEntry> signalled = new AtomicReference<>();
    private LoopEntry[] entries = new LoopEntry[1];
    private int size;
    private LoopEntry[] due = new LoopEntry[1];
    private int dueCount;
    private long cycle;
    private boolean scanning = true;
    private volatile boolean sleeping;
    private volatile boolean woken;

    SelectorLoop() throws IOException {
        this(NanoClock.SYSTEM);
    }

    SelectorLoop(NanoClock clock) throws IOException {
        this.selector = Selector.open();
        this.clock = clock;
        this.readySelect = readySelect(this);
    }

    private static ReadySelect readySelect(SelectorLoop loop) {
        try {
            return ReadySelect.create(loop);
        } catch (LinkageError e) {
            LOG.debug("no Selector.select(Consumer) here; event loops serve every connection each cycle", e);
            return null;
        }
    }

    /** Adds {@code connection}, served from the next cycle on. */
    LoopEntry add(ClientConnection connection) {
        LoopEntry entry = new LoopEntry(connection);
        add(entry);
        return entry;
    }

    /** Adds {@code entry} (again after a {@link #remove}); served from the next cycle on. */
    void add(LoopEntry entry) {
        if (entry.active) {
            return;
        }
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = entry;
        entry.active = true;
        ready(entry);
    }

    void remove(LoopEntry entry) {
        for (int i = 0; i < size; i++) {
            if (entries[i] == entry) {
                entry.active = false;
                if (entry.key != null) {
                    entry.key.cancel();
                }
                entry.key = null;
                deadlines.remove(entry);
                entries[i] = entries[--size];
                entries[size] = null;
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
            entries[i].connection.fail(detail);
        }
    }

    /** New work was queued for {@code entry}'s connection: serve it soon. Any thread; allocation-free. */
    void signal(LoopEntry entry) {
        if (entry.queued.compareAndSet(false, true)) {
            LoopEntry top;
            do {
                top = signalled.get();
                entry.nextSignalled = top;
            } while (!signalled.compareAndSet(top, entry));
        }
        if (sleeping) {
            selector.wakeup();
        }
    }

    /** Ends the current or next wait without naming a connection (new work for a scanning loop, or a stop). */
    void wakeUp() {
        woken = true;
        if (sleeping) {
            selector.wakeup();
        }
    }

    /**
     * One cycle: serve, and when there was nothing to do, wait at most {@code maxWaitNs} for readiness, a
     * deadline or a signal, then serve again.
     *
     * @return units of work done
     */
    int runOnce(long maxWaitNs) throws IOException {
        if (readySelect == null || size <= SCAN_LIMIT) {
            return scanCycle(maxWaitNs);
        }
        return readinessCycle(maxWaitNs);
    }

    private int scanCycle(long maxWaitNs) throws IOException {
        if (!scanning) {
            scanning = true;
            Arrays.fill(due, 0, dueCount, null);
            dueCount = 0;
            cycle++; // entries dropped from the list must be listable again when readiness resumes
        }
        takeSignals(false);
        long nowNs = clock.nanoTime();
        int work = workAll(nowNs);
        if (work > 0) {
            return work;
        }
        if (size == 1 && entries[0].connection.expectsAckSoon()) {
            work = spinForAck();
            if (work > 0) {
                return work;
            }
        }
        for (int i = 0; i < size; i++) {
            refresh(entries[i], nowNs);
        }
        sleepUntil(Math.min(nowNs + maxWaitNs, deadlines.nextDeadlineNs()));
        return workAll(clock.nanoTime());
    }

    /**
     * A publisher with a backlog behind a full window waits for acknowledgements that arrive every few tens of
     * microseconds. Sleeping in the selector for each costs a wake-up (tens of microseconds on a loaded 2-core
     * machine) and limits throughput to the window per wake-up latency; a short yield-and-read spin catches the
     * next acknowledgement instead, and yields the CPU to the broker and other threads while it waits. Only while
     * such a backlog exists, so an idle device never spins.
     */
    private int spinForAck() {
        for (int i = 0; i < ACK_SPINS; i++) {
            Thread.yield();
            int work = workAll(clock.nanoTime());
            if (work > 0) {
                return work;
            }
        }
        return 0;
    }

    private int workAll(long nowNs) {
        int work = 0;
        for (int i = 0; i < size; i++) {
            work += entries[i].connection.doWork(nowNs);
        }
        return work;
    }

    private int readinessCycle(long maxWaitNs) throws IOException {
        if (scanning) {
            scanning = false; // registrations and deadlines were refreshed only when idle: serve everyone once
            for (int i = 0; i < size; i++) {
                ready(entries[i]);
            }
        }
        long nowNs = clock.nanoTime();
        if (dueCount > 0 || woken || signalled.get() != null || deadlines.nextDeadlineNs() <= nowNs) {
            readySelect.selectNow(selector);
            woken = false;
        } else {
            sleepUntil(Math.min(nowNs + maxWaitNs, deadlines.nextDeadlineNs()));
        }
        nowNs = clock.nanoTime();
        takeSignals(true);
        LoopEntry expired;
        while ((expired = deadlines.pollDue(nowNs)) != null) {
            ready(expired);
        }
        return workDue(nowNs);
    }

    /** Serves the due list once; connections that did work stay on it for the next cycle. */
    private int workDue(long nowNs) throws ClosedChannelException {
        int work = 0;
        int kept = 0;
        int count = dueCount;
        cycle++;
        for (int i = 0; i < count; i++) {
            LoopEntry entry = due[i];
            due[i] = null;
            if (!entry.active) {
                continue;
            }
            int done = entry.connection.doWork(nowNs);
            refresh(entry, nowNs);
            if (done > 0) {
                work += done;
                entry.dueCycle = cycle;
                due[kept++] = entry;
            }
        }
        dueCount = kept;
        return work;
    }

    /** Lists {@code entry} as due this cycle, once. Called for ready keys by {@link ReadySelect} too. */
    void ready(LoopEntry entry) {
        if (entry.dueCycle == cycle) {
            return;
        }
        entry.dueCycle = cycle;
        if (dueCount == due.length) {
            due = Arrays.copyOf(due, Math.max(dueCount * 2, entries.length));
        }
        due[dueCount++] = entry;
    }

    private void takeSignals(boolean listDue) {
        LoopEntry entry = signalled.getAndSet(null);
        while (entry != null) {
            LoopEntry next = entry.nextSignalled;
            entry.nextSignalled = null;
            entry.queued.set(false); // before its work, so a signal during the work is not lost
            if (listDue && entry.active) {
                ready(entry);
            }
            entry = next;
        }
    }

    /** Brings {@code entry}'s selector interest and deadline up to date with its connection. */
    private void refresh(LoopEntry entry, long nowNs) throws ClosedChannelException {
        ClientConnection connection = entry.connection;
        SelectableChannel channel = connection.transport() == null ? null : connection.transport().channel();
        int ops = connection.interestOps();
        if (channel != (entry.key == null ? null : entry.key.channel())) {
            if (entry.key != null) {
                entry.key.cancel();
            }
            entry.key = channel == null ? null : channel.register(selector, ops, entry);
        } else if (entry.key != null && entry.key.isValid() && entry.key.interestOps() != ops) {
            entry.key.interestOps(ops);
        }
        deadlines.schedule(entry, connection.deadlineNs(nowNs));
    }

    private void sleepUntil(long deadlineNs) throws IOException {
        sleeping = true;
        if (!woken && signalled.get() == null) {
            // measured from now, not from the cycle's start: the idle work and refresh since then would make every
            // wait, and so every keepalive deadline, late by their duration
            long waitNs = deadlineNs - clock.nanoTime();
            if (waitNs > 0) {
                // round up: a 0 ms timeout would mean "forever", and waking early only spins
                long ms = deadlineNs == Long.MAX_VALUE ? 0 : Math.max(1, (waitNs + 999_999) / 1_000_000);
                if (scanning) {
                    selector.select(ms);
                } else {
                    readySelect.select(selector, ms);
                }
            } else if (!scanning) {
                readySelect.selectNow(selector);
            }
        }
        sleeping = false;
        woken = false;
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing a driver's selector failed", e);
        }
    }
}
