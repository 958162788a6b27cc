package io.pipit.bench.e2e;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publish→receive latency of a {@link ClientPair} at a fixed, moderate rate: after a warm-up at the same rate,
 * message {@code i} is published at {@code start + i / rate} (the publisher parks until then; a late publisher
 * does not skip, so a stall shows as latency), and the latency is the receive time minus the time {@code publish}
 * was called. Not thread-safe: one run per instance.
 */
final class LatencyRun implements ClientPair.Sink {
    private final ClientPair pair;
    private final int qos;
    private final int rate;
    private final int messages;
    private final byte[] payload;
    private final long[] sentNs;
    private final long[] receivedNs;
    private volatile byte phase = Receipts.WARMUP;

    /**
     * @param rate messages per second
     * @param messages measured messages, also the warm-up's count
     */
    LatencyRun(ClientPair pair, int qos, int payloadSize, int rate, int messages) {
        this.pair = pair;
        this.qos = qos;
        this.rate = rate;
        this.messages = messages;
        this.payload = new byte[payloadSize];
        this.sentNs = new long[messages];
        this.receivedNs = new long[messages];
    }

    /** @return the measured latencies in nanoseconds, sorted; a message never received is left out */
    long[] run(String brokerUri, long timeoutNs) throws Exception {
        URI uri = URI.create(brokerUri);
        try (ClientPair clients = pair) {
            clients.connect(uri.getHost(), uri.getPort(), qos, this);
            publishPaced(Receipts.WARMUP);
            TimeUnit.MILLISECONDS.sleep(200);
            phase = Receipts.MEASURE;
            publishPaced(Receipts.MEASURE);
            long deadlineNs = System.nanoTime() + timeoutNs;
            while (countReceived() < messages && System.nanoTime() - deadlineNs < 0) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            TimeUnit.MILLISECONDS.sleep(100); // stragglers after the last one
        }
        long[] latencies = new long[countReceived()];
        int n = 0;
        for (int i = 0; i < messages; i++) {
            if (receivedNs[i] != 0) {
                latencies[n++] = receivedNs[i] - sentNs[i];
            }
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private int countReceived() {
        int count = 0;
        for (long ns : receivedNs) {
            count += ns == 0 ? 0 : 1;
        }
        return count;
    }

    private void publishPaced(byte stampPhase) throws Exception {
        long startNs = System.nanoTime();
        long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < messages; i++) {
            long dueNs = startNs + i * intervalNs;
            for (long waitNs = dueNs - System.nanoTime(); waitNs > 0; waitNs = dueNs - System.nanoTime()) {
                LockSupport.parkNanos(waitNs);
            }
            Receipts.stamp(payload, i, stampPhase);
            long nowNs = System.nanoTime();
            while (!pair.publish(payload)) {
                Thread.yield();
            }
            if (stampPhase == Receipts.MEASURE) {
                sentNs[i] = nowNs;
            }
        }
    }

    @Override
    public void received(ByteBuffer buffer, int offset, int length, long nowNs) {
        if (length >= Receipts.MIN_PAYLOAD && buffer.get(offset + Receipts.PHASE_OFFSET) == Receipts.MEASURE) {
            mark(buffer.getLong(offset + Receipts.SEQUENCE_OFFSET), nowNs);
        }
    }

    @Override
    public void received(byte[] bytes, long nowNs) {
        if (bytes.length >= Receipts.MIN_PAYLOAD && bytes[Receipts.PHASE_OFFSET] == Receipts.MEASURE) {
            mark(Receipts.sequenceOf(bytes), nowNs);
        }
    }

    private void mark(long sequence, long nowNs) {
        if (phase == Receipts.MEASURE && sequence >= 0 && sequence < messages) {
            receivedNs[(int) sequence] = nowNs;
        }
    }

    /** @return the value at fraction {@code q} (0..1) of sorted {@code values}, or -1 when there is none */
    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(q * values.length) - 1;
        return values[Math.max(0, Math.min(values.length - 1, index))];
    }
}
