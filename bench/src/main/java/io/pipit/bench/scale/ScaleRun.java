package io.pipit.bench.scale;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One fleet in this JVM (the child the scale test starts): connect devices one by one until all are connected
 * or a budget stops it, measure heap, direct memory and threads per connected device after a full GC, then let
 * every device publish QoS 1 telemetry every {@code intervalS} seconds for {@code measureS} seconds, spread
 * evenly, and measure CPU. Returns its figures as {@code key=value} pairs. Runs on the calling thread only.
 */
final class ScaleRun {
    /** Checks the heap budget every this many devices (time and threads at every device). */
    private static final int CHECK_EVERY = 250;

    private final java.util.function.IntFunction<Fleet> factory;
    private Fleet fleet;
    private final int devices;
    private final ScaleOptions options;
    private final Map<String, String> result = new LinkedHashMap<>();

    /** @param factory makes the fleet for a device count, after the baseline is measured (it may start threads) */
    ScaleRun(java.util.function.IntFunction<Fleet> factory, ScaleOptions options) {
        this.factory = factory;
        this.devices = options.devices();
        this.options = options;
    }

    Map<String, String> run(String host, int port) throws InterruptedException {
        long heapBefore = usedHeapAfterGc();
        long directBefore = directMemory();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        fleet = factory.apply(devices);
        result.put("client", fleet.name());
        result.put("target", String.valueOf(devices));
        long startNs = System.nanoTime();
        int connected = connectAll(host, port, threadsBefore, startNs);
        result.put("connected", String.valueOf(connected));
        result.put("connectS", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startNs) / 1e9));
        long heapAfter = usedHeapAfterGc();
        result.put("heapPerClientB", String.valueOf(connected == 0 ? 0 : (heapAfter - heapBefore) / connected));
        result.put("directPerClientB", String.valueOf(connected == 0 ? 0
                : (directMemory() - directBefore) / connected));
        result.put("threads", String.valueOf(ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore));
        result.put("heapMaxMB", String.valueOf(Runtime.getRuntime().maxMemory() >> 20));
        if (connected > 0) {
            publishPhase(connected);
        }
        return result;
    }

    private int connectAll(String host, int port, int threadsBefore, long startNs) {
        result.put("stop", "none");
        for (int i = 0; i < devices; i++) {
            if (i > 0) {
                String stop = budgetExceeded(threadsBefore, startNs, i % CHECK_EVERY == 0);
                if (stop != null) {
                    result.put("stop", stop);
                    return i;
                }
            }
            try {
                fleet.connect(i, host, port);
            } catch (OutOfMemoryError e) { // the heap budget or native threads ran out: that is the finding
                result.put("stop", "OutOfMemoryError: " + e.getMessage());
                return i;
            } catch (Exception e) { // a refused or timed-out connect ends the fleet here, and is reported
                result.put("stop", "connect failed: " + e);
                return i;
            }
        }
        return devices;
    }

    /** @return why the fleet must stop growing, or null */
    private String budgetExceeded(int threadsBefore, long startNs, boolean checkHeap) {
        if (System.nanoTime() - startNs > TimeUnit.SECONDS.toNanos(options.connectBudgetS())) {
            return "time budget: " + options.connectBudgetS() + " s to connect";
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
        if (threads > options.maxThreads()) {
            return "thread cap: " + threads + " threads started (cap " + options.maxThreads() + ")";
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        if (checkHeap && heap.getUsed() > 0.9 * heap.getMax() && usedHeapAfterGc() > 0.9 * heap.getMax()) {
            return "heap budget: over 90 % of " + (heap.getMax() >> 20) + " MB after a full GC";
        }
        return null;
    }

    private void publishPhase(int connected) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        byte[] payload = new byte[options.payload()];
        long total = (long) connected * options.measureS() / options.intervalS();
        long intervalNs = TimeUnit.SECONDS.toNanos(options.intervalS()) / connected;
        long completedBefore = fleet.completedCount();
        long errorsBefore = fleet.errorCount();
        long refused = 0;
        long failed = 0;
        long cpuBefore = os.getProcessCpuTime();
        long startNs = System.nanoTime();
        for (long k = 0; k < total; k++) {
            long dueNs = startNs + k * intervalNs;
            for (long waitNs = dueNs - System.nanoTime(); waitNs > 0; waitNs = dueNs - System.nanoTime()) {
                LockSupport.parkNanos(waitNs);
            }
            try {
                refused += fleet.publish((int) (k % connected), payload) ? 0 : 1;
            } catch (Exception e) { // counted and reported; the other devices keep publishing
                failed++;
            }
        }
        long elapsedNs = System.nanoTime() - startNs;
        long cpuNs = os.getProcessCpuTime() - cpuBefore;
        long expected = total - refused - failed;
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fleet.completedCount() - completedBefore < expected && System.nanoTime() - deadlineNs < 0) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        result.put("published", String.valueOf(total));
        result.put("refused", String.valueOf(refused));
        result.put("publishFailed", String.valueOf(failed));
        result.put("acked", String.valueOf(fleet.completedCount() - completedBefore));
        result.put("ackErrors", String.valueOf(fleet.errorCount() - errorsBefore));
        result.put("msgPerSec", String.format(java.util.Locale.ROOT, "%.0f", total * 1e9 / elapsedNs));
        result.put("cpuPct", String.format(java.util.Locale.ROOT, "%.1f", 100.0 * cpuNs / elapsedNs));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // a few rounds so the figure is the live set, not garbage
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directMemory() {
        long bytes = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                bytes += pool.getMemoryUsed();
            }
        }
        return bytes;
    }
}
