package io.pipit.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The raw-limit reference's subscriber: one blocking socket, MQTT 5.0 CONNECT and SUBSCRIBE (QoS 0, 1 or 2)
 * written by hand, and a reader thread ({@value #THREAD_NAME}) that frames what arrives, counts every PUBLISH into
 * the current phase's {@link Receipts} (see {@link #receiveInto}) and acknowledges it: PUBACK at QoS 1, PUBREC and
 * then PUBCOMP for the broker's PUBREL at QoS 2, the acknowledgements of one read sent in one write. At QoS 1/2
 * the socket is non-blocking and the reader yields when a read finds nothing, like {@link RawPublisher}. No client
 * library is involved. The reader allocates nothing per packet.
 *
 * <p>Thread-safety: {@link #open} and {@link #close} on one thread; the reader thread is the only one that
 * reads the socket and records.
 */
final class RawSubscriber implements AutoCloseable, RawPackets.FrameHandler {
    static final String THREAD_NAME = "raw-sub";
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private final SocketChannel channel;
    private volatile Receipts receipts;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    /** Acknowledgements owed for what one read brought; 4 bytes each, never more than the bytes read. */
    private final ByteBuffer acks = ByteBuffer.allocateDirect(256 * 1024);
    private final Thread reader;
    private volatile int connackCode = -1;
    private volatile int subackCode = -1;
    private volatile boolean closing;
    private volatile Exception failure;

    private RawSubscriber(SocketChannel channel, Receipts receipts) {
        this.channel = channel;
        this.receipts = receipts;
        this.reader = new Thread(this::readLoop, THREAD_NAME);
        reader.setDaemon(true);
    }

    /**
     * Connects, subscribes to {@code filter} at {@code qos} and starts the reader.
     *
     * @throws IOException when the connection fails, or the broker refuses CONNECT or SUBSCRIBE or does not
     *     answer within 10 s
     */
    static RawSubscriber open(InetSocketAddress address, String filter, int qos, Receipts receipts)
            throws IOException, InterruptedException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(qos == 0); // QoS 1/2: poll and yield, as the publisher does (see RawPublisher)
        RawSubscriber subscriber = new RawSubscriber(channel, receipts);
        subscriber.reader.start();
        try {
            writeFully(channel, RawPackets.connect(THREAD_NAME));
            writeFully(channel, RawPackets.subscribe(filter, qos));
            subscriber.awaitSuback(qos);
        } catch (IOException | InterruptedException | RuntimeException e) {
            subscriber.close();
            throw e;
        }
        return subscriber;
    }

    static void writeFully(SocketChannel channel, byte[] packet) throws IOException {
        writeFully(channel, ByteBuffer.wrap(packet));
    }

    /** Writes {@code bytes} from position to limit, also on a non-blocking channel (retrying while it is full). */
    static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private void awaitSuback(int qos) throws IOException, InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_TIMEOUT_MS);
        while (subackCode < 0) {
            if (failure != null) {
                throw new IOException("raw subscriber failed during its handshake", failure);
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IOException("no SUBACK within " + HANDSHAKE_TIMEOUT_MS + " ms (CONNACK reason code "
                        + connackCode + ")");
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        if (connackCode != 0 || subackCode != qos) { // SUBACK's reason code is the granted QoS
            throw new IOException("broker refused the raw subscriber: CONNACK " + connackCode + ", SUBACK "
                    + subackCode);
        }
    }

    private void readLoop() {
        try {
            while (!closing) {
                int read = channel.read(buffer);
                if (read < 0) {
                    if (!closing) {
                        failure = new IOException("the broker closed the raw subscriber's connection");
                    }
                    return;
                }
                if (read == 0) { // only a QoS 1/2 subscriber's channel is non-blocking
                    Thread.yield();
                    continue;
                }
                buffer.flip();
                RawPackets.scan(buffer, this);
                buffer.compact();
                if (acks.position() > 0) {
                    writeFully(channel, acks.flip());
                    acks.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failure = e; // reported by failure(); while closing, the exception is our own close()
            }
        }
    }

    @Override
    public void onPacket(int type, int flags, ByteBuffer bytes, int bodyOffset, int remainingLength) {
        switch (type) {
            case RawPackets.PUBLISH:
                int payloadOffset = RawPackets.publishPayloadOffset(bytes, flags, bodyOffset);
                receipts.record(bytes, payloadOffset, bodyOffset + remainingLength - payloadOffset, System.nanoTime());
                int qos = (flags >>> 1) & 0b11;
                if (qos > 0) {
                    RawPackets.putAck(acks, qos == 1 ? RawPackets.PUBACK : RawPackets.PUBREC,
                            RawPackets.publishPacketId(bytes, bodyOffset));
                }
                break;
            case RawPackets.PUBREL:
                RawPackets.putAck(acks, RawPackets.PUBCOMP, RawPackets.uint16(bytes, bodyOffset));
                break;
            case RawPackets.CONNACK:
                connackCode = bytes.get(bodyOffset + 1) & 0xFF; // after the acknowledge flags
                break;
            case RawPackets.SUBACK:
                subackCode = RawPackets.subackReasonCode(bytes, bodyOffset);
                break;
            default:
                failure = new IOException("unexpected packet type " + type + " from the broker");
                break;
        }
    }

    /** From now on, counts arrivals into {@code next} (the next phase's receipts). */
    void receiveInto(Receipts next) {
        receipts = next;
    }

    /** @return what stopped the reader other than {@link #close}, or null */
    Exception failure() {
        return failure;
    }

    /** Sends DISCONNECT, closes the socket and waits (up to 5 s) for the reader to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        try {
            if (channel.isOpen()) {
                writeFully(channel, RawPackets.disconnect());
            }
        } finally {
            channel.close();
            reader.join(5_000);
        }
    }
}
