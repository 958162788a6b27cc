package io.pipit.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The raw-limit reference: what the broker passes when no client library is in the way. The calling thread
 * writes pre-encoded MQTT 5.0 QoS 0 PUBLISH packets to a blocking socket in batches of {@value #BATCH} (one
 * {@code write} per batch, only the 9 stamp bytes of each payload changed in place), and a
 * {@link RawSubscriber} on a second socket counts what arrives. Measured and printed like a pipit run, so the two
 * compare line by line.
 *
 * <p>Not thread-safe: one run per instance, on one thread.
 */
final class RawRun implements Delivery.Sender {
    /** PUBLISH packets per socket write. */
    static final int BATCH = 256;

    private final BenchOptions options;
    private final InetSocketAddress address;
    private final LongSupplier brokerCpuNs;
    private final int packetLength;
    private final int payloadStart;
    private final ByteBuffer batch;
    private volatile long publishEndNs;

    /** @param brokerCpuNs the broker's CPU time so far, or -1 when unknown; read outside the measured window */
    RawRun(BenchOptions options, String brokerUri, LongSupplier brokerCpuNs) {
        this.options = options;
        this.brokerCpuNs = brokerCpuNs;
        URI uri = URI.create(brokerUri);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] packet = RawPackets.publishQos0(EndToEndBenchmark.TOPIC, options.payload());
        this.packetLength = packet.length;
        this.payloadStart = packet.length - options.payload();
        this.batch = ByteBuffer.allocateDirect(BATCH * packetLength);
        for (int i = 0; i < BATCH; i++) {
            batch.put(packet);
        }
    }

    /** Connects both sockets, warms up, measures, disconnects. */
    RunResult run() throws IOException, InterruptedException {
        Set<String> threadsBefore = ThreadMeter.liveThreadNames();
        Receipts warmup = new Receipts(Receipts.WARMUP, options.warmup());
        Receipts measured = new Receipts(Receipts.MEASURE, options.messages());
        try (RawSubscriber subscriber = RawSubscriber.open(address, EndToEndBenchmark.TOPIC, warmup);
                SocketChannel publisher = connectPublisher()) {
            List<String> clientThreads = ThreadMeter.startedSince(threadsBefore);
            if (options.warmup() > 0) {
                publishAll(publisher, Receipts.WARMUP, options.warmup());
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
            publishAll(publisher, Receipts.MEASURE, options.messages());
            boolean delivered = awaitDelivery(measured, options.messages());
            meter.stop();
            long brokerCpu = brokerCpuBefore < 0 ? -1 : brokerCpuNs.getAsLong() - brokerCpuBefore;

            if (subscriber.failure() != null) {
                throw new IOException("the raw subscriber failed", subscriber.failure());
            }
            RawSubscriber.writeFully(publisher, RawPackets.disconnect());
            return new RunResult("raw", 0, options.payload(), options.messages(), warmup.distinctCount(),
                    measured.distinctCount(), measured.duplicateCount(), measured.reorderedCount(),
                    measured.straggledCount(), measured.unexpectedCount(), measured.lastReceiveNs() - startNs,
                    publishEndNs - startNs, 0, 0, meter, brokerCpu, clientThreads, ThreadMeter.liveThreadCount(),
                    !delivered);
        }
    }

    /** Opens the publisher's socket and completes its CONNECT/CONNACK exchange. */
    private SocketChannel connectPublisher() throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            RawSubscriber.writeFully(channel, RawPackets.connect("raw-pub"));
            ByteBuffer in = ByteBuffer.allocate(256);
            int[] connack = {-1};
            while (connack[0] < 0) {
                if (channel.read(in) < 0) {
                    throw new IOException("the broker closed the raw publisher's connection before CONNACK");
                }
                in.flip();
                RawPackets.scan(in, (type, flags, bytes, offset, length) -> connack[0] =
                        type == RawPackets.CONNACK ? bytes.get(offset + 1) & 0xFF : 0x100 + type);
                in.compact();
            }
            if (connack[0] != 0) {
                throw new IOException("the broker refused the raw publisher: "
                        + (connack[0] > 0xFF ? "packet type " + (connack[0] - 0x100) : "CONNACK " + connack[0]));
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Writes {@code count} stamped PUBLISH packets, {@value #BATCH} per write; allocation-free. */
    private void publishAll(SocketChannel channel, byte phase, int count) throws IOException {
        for (int sent = 0; sent < count; ) {
            int packets = Math.min(BATCH, count - sent);
            batch.clear(); // absolute puts check against the limit, which the last write left short
            for (int i = 0; i < packets; i++) {
                int payload = i * packetLength + payloadStart;
                batch.putLong(payload + Receipts.SEQUENCE_OFFSET, sent + i);
                batch.put(payload + Receipts.PHASE_OFFSET, phase);
            }
            batch.limit(packets * packetLength).position(0);
            while (batch.hasRemaining()) {
                channel.write(batch);
            }
            sent += packets;
        }
        publishEndNs = System.nanoTime();
    }

    private boolean awaitDelivery(Receipts phase, int count) throws InterruptedException {
        return Delivery.await(phase, count, this, TimeUnit.MILLISECONDS.toNanos(options.quietMs()),
                TimeUnit.SECONDS.toNanos(options.timeoutSeconds()));
    }

    @Override
    public boolean done() {
        return true; // called only after publishAll returned: every packet is written
    }

    @Override
    public long lastActivityNs() {
        return publishEndNs;
    }
}
