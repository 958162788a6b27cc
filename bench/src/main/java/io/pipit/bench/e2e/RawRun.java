package io.pipit.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The raw-limit reference: what the broker passes when no client library is in the way. The calling thread
 * publishes pre-encoded MQTT 5.0 PUBLISH packets through a {@link RawPublisher} (QoS 0 in batches of
 * {@value RawPublisher#BATCH} per write; QoS 1 and 2 within the broker's Receive Maximum, acknowledged on the same
 * socket), and a {@link RawSubscriber} on a second socket, subscribed at the same QoS, acknowledges and counts what
 * arrives. Measured and printed like a pipit run, so the two compare line by line.
 *
 * <p>Not thread-safe: one run per instance, on one thread.
 */
final class RawRun implements Delivery.Sender {
    private final BenchOptions options;
    private final InetSocketAddress address;
    private final LongSupplier brokerCpuNs;
    private volatile long publishEndNs;
    private volatile String window = "";

    /** @param brokerCpuNs the broker's CPU time so far, or -1 when unknown; read outside the measured window */
    RawRun(BenchOptions options, String brokerUri, LongSupplier brokerCpuNs) {
        this.options = options;
        this.brokerCpuNs = brokerCpuNs;
        URI uri = URI.create(brokerUri);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /** @return after a QoS 1/2 run, the publisher's window and the Receive Maximum it came from; else "" */
    String window() {
        return window;
    }

    /** Connects both sockets, warms up, measures, disconnects. */
    RunResult run() throws IOException, InterruptedException {
        Set<String> threadsBefore = ThreadMeter.liveThreadNames();
        Receipts warmup = new Receipts(Receipts.WARMUP, options.warmup());
        Receipts measured = new Receipts(Receipts.MEASURE, options.messages());
        try (RawSubscriber subscriber = RawSubscriber.open(address, EndToEndBenchmark.TOPIC, options.qos(), warmup);
                RawPublisher publisher = RawPublisher.open(address, options.qos(), options.payload(),
                        options.maxInflight())) {
            if (options.qos() > 0) { // fair: the window pipit's publisher gets from the same CONNACK
                window = publisher.window() + " in flight (CONNACK Receive Maximum " + publisher.receiveMaximum()
                        + ", pipit's default maxInflight " + RawPublisher.PIPIT_MAX_INFLIGHT + ")";
            }
            List<String> clientThreads = ThreadMeter.startedSince(threadsBefore);
            if (options.warmup() > 0) {
                publishAll(publisher, warmup, options.warmup());
                if (!awaitDelivery(warmup, options.warmup())) {
                    throw new IllegalStateException("warm-up timed out: " + warmup.distinctCount() + " of "
                            + options.warmup() + " received");
                }
            }
            subscriber.receiveInto(measured);
            String[] names = {Thread.currentThread().getName(), RawSubscriber.THREAD_NAME};
            long[] ids = {Thread.currentThread().getId(), ThreadMeter.threadId(RawSubscriber.THREAD_NAME)};
            ThreadMeter meter = new ThreadMeter(names, ids);

            long brokerCpuBefore = brokerCpuNs.getAsLong();
            meter.start();
            long startNs = System.nanoTime();
            publishAll(publisher, measured, options.messages());
            boolean delivered = awaitDelivery(measured, options.messages());
            meter.stop();
            long brokerCpu = brokerCpuBefore < 0 ? -1 : brokerCpuNs.getAsLong() - brokerCpuBefore;

            if (subscriber.failure() != null) {
                throw new IOException("the raw subscriber failed", subscriber.failure());
            }
            return new RunResult("raw", options.qos(), options.payload(), options.messages(), warmup.distinctCount(),
                    measured.distinctCount(), measured.duplicateCount(), measured.reorderedCount(),
                    measured.straggledCount(), measured.unexpectedCount(), measured.lastReceiveNs() - startNs,
                    publishEndNs - startNs, 0, publisher.errors(), meter, brokerCpu, clientThreads,
                    ThreadMeter.liveThreadCount(), !delivered);
        }
    }

    private void publishAll(RawPublisher publisher, Receipts phase, int count) throws IOException {
        publisher.publishAll(phase.phase(), count, phase::distinctCount);
        publishEndNs = publisher.lastActivityNs();
    }

    private boolean awaitDelivery(Receipts phase, int count) throws InterruptedException {
        return Delivery.await(phase, count, this, TimeUnit.MILLISECONDS.toNanos(options.quietMs()),
                TimeUnit.SECONDS.toNanos(options.timeoutSeconds()));
    }

    @Override
    public boolean done() {
        return true; // called only after publishAll returned: every packet is written (and acknowledged)
    }

    @Override
    public long lastActivityNs() {
        return publishEndNs;
    }
}
