package io.pipit.bench.e2e;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What threads spent over the measured phase: bytes allocated, counted by the JVM per thread
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), on the named threads (the publishing
 * thread and the clients' I/O threads) and on every thread alive at {@link #start}; CPU time of the named
 * threads and of the whole JVM process; and the garbage collections in between.
 *
 * <p>Reading a single thread's counter allocates nothing, so the named threads' figures include no bytes of
 * the meter's own. The all-threads figure takes one array per snapshot (a few hundred bytes per run, on the
 * thread that calls the meter); it misses threads that start after {@link #start}. Thread-safety: one thread
 * calls {@link #start} and then {@link #stop}.
 */
final class ThreadMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String[] names;
    private final long[] ids;
    private final long[] before;
    private final long[] delta;
    private final long[] cpuBefore;
    private final long[] cpuDelta;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long processCpuBefore;
    private long processCpu;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private long[] allIds;
    private long[] allBefore;
    private long allDelta;
    private long collectionsBefore;
    private long collections;

    /**
     * @throws IllegalStateException when this JVM cannot count allocated bytes per thread
     */
    ThreadMeter(String[] names, long[] ids) {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
        if (THREADS.isThreadCpuTimeSupported()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        this.names = names.clone();
        this.ids = ids.clone();
        this.before = new long[ids.length];
        this.delta = new long[ids.length];
        this.cpuBefore = new long[ids.length];
        this.cpuDelta = new long[ids.length];
    }

    /** @return the id of the live thread called {@code name} */
    static long threadId(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no live thread named " + name);
    }

    /** @return the names of the live threads (allocates; for set-up) */
    static Set<String> liveThreadNames() {
        Set<String> names = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.add(thread.getName());
        }
        return names;
    }

    /** @return live threads in the JVM, daemon or not, in every thread group */
    static int liveThreadCount() {
        return THREADS.getThreadCount();
    }

    /** @return names of live threads not in {@code before}, sorted (allocates; for set-up) */
    static List<String> startedSince(Set<String> before) {
        List<String> started = new ArrayList<>(liveThreadNames());
        started.removeAll(before);
        Collections.sort(started);
        return started;
    }

    /** Takes the first snapshot; the calling thread's own counter is read last. */
    void start() {
        collectionsBefore = collectionCount();
        allIds = THREADS.getAllThreadIds();
        allBefore = THREADS.getThreadAllocatedBytes(allIds);
        processCpuBefore = os.getProcessCpuTime();
        for (int i = ids.length - 1; i >= 0; i--) {
            cpuBefore[i] = THREADS.getThreadCpuTime(ids[i]);
            before[i] = THREADS.getThreadAllocatedBytes(ids[i]);
        }
    }

    /** Takes the second snapshot; the calling thread's own counter is read first. */
    void stop() {
        for (int i = 0; i < ids.length; i++) {
            delta[i] = THREADS.getThreadAllocatedBytes(ids[i]) - before[i];
            cpuDelta[i] = THREADS.getThreadCpuTime(ids[i]) - cpuBefore[i];
        }
        processCpu = os.getProcessCpuTime() - processCpuBefore;
        long[] allAfter = THREADS.getThreadAllocatedBytes(allIds);
        allDelta = 0;
        for (int i = 0; i < allIds.length; i++) {
            if (allAfter[i] >= 0 && allBefore[i] >= 0) { // -1: the thread ended in between
                allDelta += allAfter[i] - allBefore[i];
            }
        }
        collections = collectionCount() - collectionsBefore;
    }

    private long collectionCount() {
        long count = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    /** @return the named threads, in the order given */
    String[] names() {
        return names.clone();
    }

    /** @return bytes each named thread allocated between the snapshots, in the order of {@link #names} */
    long[] bytes() {
        return delta.clone();
    }

    /** @return CPU nanoseconds each named thread used between the snapshots, in the order of {@link #names} */
    long[] cpuNs() {
        return cpuDelta.clone();
    }

    /** @return CPU nanoseconds the whole JVM process used between the snapshots (JIT and GC included) */
    long processCpuNs() {
        return processCpu;
    }

    /** @return bytes the named threads allocated together */
    long namedTotal() {
        long sum = 0;
        for (long bytes : delta) {
            sum += bytes;
        }
        return sum;
    }

    /** @return bytes every thread alive at {@link #start} allocated together */
    long allThreadsTotal() {
        return allDelta;
    }

    /** @return garbage collections between the snapshots */
    long collections() {
        return collections;
    }
}
