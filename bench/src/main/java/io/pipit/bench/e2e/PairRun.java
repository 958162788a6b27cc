package io.pipit.bench.e2e;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One throughput run of a {@link ClientPair}: connect, publish the warm-up and wait for it, then publish the
 * measured messages as fast as the pair accepts them (each waiting for room while its window is full) and wait
 * for delivery. Allocation is counted on every thread alive when the measured phase starts, since each library
 * runs its own threads, and reported one by one for the publishing thread and the pair's
 * {@link ClientPair#meteredThreads}. Not thread-safe: one run per instance.
 */
final class PairRun implements Delivery.Sender, ClientPair.Sink {
    private final ClientPair pair;
    private final BenchOptions options;
    private final LongSupplier brokerCpuNs;
    private final byte[] payload;
    private volatile Receipts receipts;
    private volatile long completedTarget;

    PairRun(ClientPair pair, BenchOptions options, LongSupplier brokerCpuNs) {
        this.pair = pair;
        this.options = options;
        this.brokerCpuNs = brokerCpuNs;
        this.payload = new byte[options.payload()];
    }

    /** Connects, warms up, measures, closes the pair. */
    RunResult run(String brokerUri) throws Exception {
        Set<String> threadsBefore = ThreadMeter.liveThreadNames();
        Receipts warmup = new Receipts(Receipts.WARMUP, options.warmup());
        Receipts measured = new Receipts(Receipts.MEASURE, options.messages());
        receipts = warmup;
        URI uri = URI.create(brokerUri);
        try (ClientPair clients = pair) {
            clients.connect(uri.getHost(), uri.getPort(), options.qos(), this);
            List<String> clientThreads = ThreadMeter.startedSince(threadsBefore);
            if (options.warmup() > 0) {
                publishAll(Receipts.WARMUP, options.warmup());
                if (!awaitDelivery(warmup, options.warmup())) {
                    throw new IllegalStateException(pair.name() + " warm-up timed out: " + warmup.distinctCount()
                            + " of " + options.warmup() + " received");
                }
            }
            receipts = measured;
            List<String> named = new java.util.ArrayList<>(List.of(Thread.currentThread().getName()));
            named.addAll(clients.meteredThreads());
            long[] ids = new long[named.size()];
            ids[0] = Thread.currentThread().getId();
            for (int i = 1; i < ids.length; i++) {
                ids[i] = ThreadMeter.threadId(named.get(i));
            }
            ThreadMeter meter = new ThreadMeter(named.toArray(new String[0]), ids);
            long errorsBefore = clients.completions().errorCount();
            long brokerCpuBefore = brokerCpuNs.getAsLong();
            meter.start();
            long startNs = System.nanoTime();
            long retries = publishAll(Receipts.MEASURE, options.messages());
            long publishEndNs = System.nanoTime();
            boolean delivered = awaitDelivery(measured, options.messages());
            meter.stop();
            long brokerCpu = brokerCpuBefore < 0 ? -1 : brokerCpuNs.getAsLong() - brokerCpuBefore;
            return new RunResult(pair.name(), options.qos(), payload.length, options.messages(),
                    warmup.distinctCount(), measured.distinctCount(), measured.duplicateCount(),
                    measured.reorderedCount(), measured.straggledCount(), measured.unexpectedCount(),
                    measured.lastReceiveNs() - startNs, publishEndNs - startNs, retries,
                    clients.completions().errorCount() - errorsBefore, meter, brokerCpu, clientThreads,
                    ThreadMeter.liveThreadCount(), !delivered);
        }
    }

    private long publishAll(byte phase, int count) throws Exception {
        completedTarget = pair.completions().completedCount() + count;
        long retries = 0;
        for (int i = 0; i < count; i++) {
            Receipts.stamp(payload, i, phase);
            while (!pair.publish(payload)) {
                retries++; // the window stayed full for ClientPair.WINDOW_WAIT_MS: try again
            }
        }
        return retries;
    }

    private boolean awaitDelivery(Receipts phase, int count) throws InterruptedException {
        return Delivery.await(phase, count, this, TimeUnit.MILLISECONDS.toNanos(options.quietMs()),
                TimeUnit.SECONDS.toNanos(options.timeoutSeconds()));
    }

    @Override
    public boolean done() {
        return pair.completions().completedCount() >= completedTarget;
    }

    @Override
    public long lastActivityNs() {
        return pair.completions().lastCompletionNs();
    }

    @Override
    public void received(ByteBuffer buffer, int offset, int length, long nowNs) {
        receipts.record(buffer, offset, length, nowNs);
    }

    @Override
    public void received(byte[] bytes, long nowNs) {
        receipts.record(bytes, nowNs);
    }
}
