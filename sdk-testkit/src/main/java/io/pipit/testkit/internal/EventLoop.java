package io.pipit.testkit.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock broker's one thread: a selector loop that runs I/O readiness handlers, tasks submitted from other
 * threads and timers, all on the thread named {@code pipit-mock-broker-<port>}. Every piece of broker state is
 * confined to that thread, so none of it needs a lock and fault injection is deterministic.
 *
 * <p>Thread-safety: {@link #execute}, {@link #call} and {@link #close} may be called from any thread;
 * {@link #schedule} and {@link #register} only from the loop thread. Handlers, tasks and timers all run on the
 * loop thread and must not block.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final long MAX_SELECT_MS = 100;

    /** Reacts to readiness of a registered channel; runs on the loop thread. */
    public interface Handler {
        void onReady(SelectionKey key);
    }

    /** A scheduled task; {@link #cancel()} from the loop thread. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadlineNs;
        private final Runnable task;
        private final long sequence;
        private boolean cancelled;

        Timer(long deadlineNs, Runnable task, long sequence) {
            this.deadlineNs = deadlineNs;
            this.task = task;
            this.sequence = sequence;
        }

        /** Stops the task from running if it has not run yet. */
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            long diff = deadlineNs - other.deadlineNs;
            return diff != 0 ? (diff < 0 ? -1 : 1) : Long.compare(sequence, other.sequence);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    private volatile boolean running = true;

    /**
     * Opens the selector and starts the thread.
     *
     * @param name the thread's name
     */
    public EventLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("mock broker loop {} died", t.getName(), e));
        thread.start();
    }

    /** Renames the loop thread, e.g. once the port it serves is known. */
    public void rename(String name) {
        thread.setName(name);
    }

    /** @return true when called on the loop thread */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread soon; from any thread. Ignored (and logged) after close. */
    public void execute(Runnable task) {
        if (!running) {
            LOG.debug("task submitted to closed loop {} ignored", thread.getName());
            return;
        }
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Runs {@code task} on the loop thread and waits for its result; on the loop thread it runs at once.
     *
     * @throws IllegalStateException when the loop is closed, the task throws or takes longer than 10 s
     */
    public <T> T call(Callable<T> task) {
        if (inLoop()) {
            return callHere(task);
        }
        if (!running) {
            throw new IllegalStateException("the mock broker is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the mock broker", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("mock broker task failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("mock broker did not run a task within 10 s", e);
        }
    }

    private static <T> T callHere(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("mock broker task failed: " + e, e);
        }
    }

    /** Runs {@code task} after {@code delayNs}; loop thread only. */
    public Timer schedule(long delayNs, Runnable task) {
        Timer timer = new Timer(System.nanoTime() + delayNs, task, timerSequence++);
        timers.add(timer);
        return timer;
    }

    /** Registers {@code channel} for {@code ops} with {@code handler} as attachment; loop thread only. */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    private void run() {
        try {
            while (running) {
                runTasks();
                long waitMs = runTimers();
                if (!running) {
                    break;
                }
                int ready = waitMs == 0 ? selector.selectNow() : selector.select(waitMs);
                if (ready > 0) {
                    dispatch();
                }
            }
        } catch (IOException e) {
            LOG.error("mock broker loop {} failed", thread.getName(), e);
        } finally {
            closeSelector();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runSafely(task, "task");
        }
    }

    /** @return how long the selector may sleep (0 = do not sleep) */
    private long runTimers() {
        long now = System.nanoTime();
        Timer next;
        while ((next = timers.peek()) != null && next.deadlineNs - now <= 0) {
            timers.poll();
            if (!next.cancelled) {
                runSafely(next.task, "timer");
            }
        }
        if (!tasks.isEmpty()) {
            return 0;
        }
        if (next == null) {
            return MAX_SELECT_MS;
        }
        long waitMs = TimeUnit.NANOSECONDS.toMillis(next.deadlineNs - now) + 1;
        return Math.min(Math.max(1, waitMs), MAX_SELECT_MS);
    }

    private void dispatch() {
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid()) {
                Handler handler = (Handler) key.attachment();
                try {
                    handler.onReady(key);
                } catch (RuntimeException e) {
                    LOG.error("mock broker handler {} failed; closing its channel", handler, e);
                    closeQuietly(key);
                }
            }
        }
        selector.selectedKeys().clear();
    }

    private void runSafely(Runnable task, String what) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("mock broker {} failed on {}", what, thread.getName(), e);
        }
    }

    private static void closeQuietly(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.warn("closing channel {} failed", key.channel(), e);
        }
    }

    private void closeSelector() {
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing selector of {} failed", thread.getName(), e);
        }
    }

    /**
     * Runs {@code lastTask} on the loop, stops it, closes every registered channel and waits for the thread to
     * end. From any thread but the loop's own; idempotent.
     */
    public void close(Runnable lastTask) {
        if (!running) {
            return;
        }
        if (inLoop()) {
            throw new IllegalStateException("close the mock broker from another thread than its own");
        }
        execute(lastTask);
        execute(() -> running = false);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted closing the mock broker", e);
        }
        running = false;
        if (thread.isAlive()) {
            throw new IllegalStateException("mock broker thread " + thread.getName() + " did not stop within 10 s");
        }
    }

    @Override
    public void close() {
        close(() -> { });
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
