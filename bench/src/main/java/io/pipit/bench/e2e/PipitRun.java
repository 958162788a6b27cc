package io.pipit.bench.e2e;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.transport.TlsOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One run with two pipit clients in this JVM, each on its own I/O thread: a subscriber to {@link #TOPIC} at the
 * benchmark's QoS, and a publisher that publishes to it as fast as its outbound queue accepts (yielding and
 * retrying while {@code publish} returns -1). The calling thread publishes; it and the two I/O threads
 * ({@code pipit-io-bench-pub}, {@code pipit-io-bench-sub}) are the threads whose allocation is counted.
 *
 * <p>Not thread-safe: one run per instance, on one thread.
 */
final class PipitRun implements Delivery.Sender {
    static final String TOPIC = "bench/e2e";
    private static final String PUBLISHER_ID = "bench-pub";
    private static final String SUBSCRIBER_ID = "bench-sub";

    private final BenchOptions options;
    private final String brokerUri;
    private final LongSupplier brokerCpuNs;
    /** TLS settings for an mqtts:// broker, or null for plaintext. */
    private final TlsOptions tls;
    private final QoS qos;
    private final Topic topic = Topic.of(TOPIC);
    private final byte[] payload;
    private final PublishCompletions completions = new PublishCompletions();
    private volatile long completedTarget;
    /** Where the subscriber counts: the warm-up's receipts, then the measured phase's. */
    private volatile Receipts receipts;

    /**
     * @param brokerCpuNs the broker's CPU time so far, or -1 when unknown; read outside the measured window
     * @param tls TLS settings for an mqtts:// broker, or null for plaintext
     */
    PipitRun(BenchOptions options, String brokerUri, LongSupplier brokerCpuNs, TlsOptions tls) {
        this.options = options;
        this.brokerUri = brokerUri;
        this.brokerCpuNs = brokerCpuNs;
        this.tls = tls;
        this.qos = QoS.of(options.qos());
        this.payload = new byte[options.payload()];
    }

    /** Connects both clients, warms up, measures, disconnects and closes both. */
    RunResult run() throws MqttException, InterruptedException {
        Set<String> threadsBefore = ThreadMeter.liveThreadNames();
        Receipts warmup = new Receipts(Receipts.WARMUP, options.warmup());
        Receipts measured = new Receipts(Receipts.MEASURE, options.messages());
        receipts = warmup;
        MqttClientBuilder publisherBuilder = builder().clientId(PUBLISHER_ID).publishListener(completions);
        if (options.maxInflight() > 0) {
            publisherBuilder.maxInflight(options.maxInflight());
        }
        try (MqttClient subscriber = builder().clientId(SUBSCRIBER_ID).build();
                MqttClient publisher = publisherBuilder.build()) {
            subscriber.connect();
            int granted = subscriber.subscribe(TOPIC, qos, message -> receipts.record(message.payloadBuffer(),
                    message.payloadOffset(), message.payloadLength(), System.nanoTime())).get(10, TimeUnit.SECONDS);
            if (granted != qos.value()) {
                throw new IllegalStateException("the broker granted QoS " + granted + " (SUBACK reason code) for "
                        + TOPIC + ", not " + qos.value());
            }
            publisher.connect();
            List<String> clientThreads = ThreadMeter.startedSince(threadsBefore);

            if (options.warmup() > 0) {
                publishAll(publisher, Receipts.WARMUP, options.warmup());
                if (!awaitDelivery(warmup, options.warmup())) {
                    throw new IllegalStateException("warm-up timed out: " + warmup.distinctCount() + " of "
                            + options.warmup() + " received");
                }
            }
            receipts = measured;
            String[] names = {Thread.currentThread().getName(), "pipit-io-" + PUBLISHER_ID,
                "pipit-io-" + SUBSCRIBER_ID};
            long[] ids = {Thread.currentThread().getId(), ThreadMeter.threadId(names[1]),
                    ThreadMeter.threadId(names[2])};
            ThreadMeter meter = new ThreadMeter(names, ids);
            long errorsBefore = completions.errorCount();

            long brokerCpuBefore = brokerCpuNs.getAsLong();
            meter.start();
            long startNs = System.nanoTime();
            long retries = publishAll(publisher, Receipts.MEASURE, options.messages());
            long publishEndNs = System.nanoTime();
            boolean delivered = awaitDelivery(measured, options.messages());
            meter.stop();
            long brokerCpu = brokerCpuBefore < 0 ? -1 : brokerCpuNs.getAsLong() - brokerCpuBefore;

            return new RunResult("pipit", qos.value(), payload.length, options.messages(), warmup.distinctCount(),
                    measured.distinctCount(), measured.duplicateCount(), measured.reorderedCount(),
                    measured.straggledCount(), measured.unexpectedCount(), measured.lastReceiveNs() - startNs,
                    publishEndNs - startNs, retries, completions.errorCount() - errorsBefore, meter, brokerCpu, clientThreads,
                    ThreadMeter.liveThreadCount(), !delivered);
        }
    }

    private MqttClientBuilder builder() {
        MqttClientBuilder builder = MqttClient.builder().server(brokerUri);
        return tls == null ? builder : builder.tls(tls);
    }

    /** Publishes {@code count} stamped messages; allocation-free. @return calls refused by a full queue */
    private long publishAll(MqttClient publisher, byte phase, int count) {
        completedTarget = completions.completedCount() + count;
        long retries = 0;
        for (int i = 0; i < count; i++) {
            Receipts.stamp(payload, i, phase);
            while (publisher.publish(topic, payload, 0, payload.length, qos) < 0) {
                retries++;
                Thread.yield(); // the queue is full: let the I/O thread drain it
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
        return completions.completedCount() >= completedTarget;
    }

    @Override
    public long lastActivityNs() {
        return completions.lastCompletionNs();
    }
}
