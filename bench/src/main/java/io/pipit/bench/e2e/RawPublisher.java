package io.pipit.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.LongSupplier;

/**
 * The raw-limit reference's publisher: one blocking socket, MQTT 5.0 written by hand, pre-encoded PUBLISH packets
 * of which only the Packet Identifier and the 9 stamp bytes of the payload change. QoS 0: {@value #BATCH} packets
 * per {@code write}. QoS 1 and 2: at most {@link #window} packets unacknowledged, PUBACK (or PUBREC, PUBREL out,
 * PUBCOMP) read on the same socket by the same thread; every packet freed lets the next one go, and the PUBRELs
 * owed and the new PUBLISHes share one {@code write}. At QoS 1/2 the socket is non-blocking and a read that finds
 * nothing yields the CPU ({@link Thread#yield}): a blocking read parks the thread for every few acknowledgements,
 * and that sleep and wake-up made the raw run slower than pipit's (18,600–22,900 against 25,600–30,300 msg/s at
 * QoS 1 on the shared 2-core machine). The window is the CONNACK's Receive Maximum capped at the
 * window pipit's publisher gets by default ({@value #PIPIT_MAX_INFLIGHT}), so both run under the same limit
 * (mosquitto grants 20). At QoS 1/2 the publisher also stays at most {@value #MAX_AHEAD} messages ahead of its
 * subscriber: the broker acknowledges a PUBLISH on receipt, so nothing else slows a sender that outruns the
 * delivery to the subscriber, and mosquitto queues what it cannot deliver yet (and drops QoS 1/2 messages for a
 * subscriber more than {@code max_queued_messages}, 1,000 by default, behind). Publishing allocates nothing.
 *
 * <p>Not thread-safe: one thread opens, publishes and closes.
 */
final class RawPublisher implements AutoCloseable, RawPackets.FrameHandler {
    /** PUBLISH packets per socket write at QoS 0. */
    static final int BATCH = 256;
    /** {@code MqttClientBuilder}'s default {@code maxInflight}: the raw window never exceeds pipit's. */
    static final int PIPIT_MAX_INFLIGHT = 32;
    /** Most QoS 1/2 messages published and not yet received: well inside mosquitto's default queue of 1,000. */
    static final int MAX_AHEAD = 200;

    private final SocketChannel channel;
    private final int qos;
    private final byte[] packet;
    private final int payloadStart;
    private final int packetIdOffset;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer out;
    private final int receiveMaximum;
    private final int window;
    /** Packet Identifiers 1..window not in flight, as a stack; {@code inFlight[id]} says which are out. */
    private final int[] freeIds;
    private final boolean[] inFlight;
    private int freeCount;
    private long errors;
    private long lastActivityNs;

    private RawPublisher(SocketChannel channel, int qos, int payload, int receiveMaximum, int maxInflight) {
        this.channel = channel;
        this.qos = qos;
        this.packet = RawPackets.publish(EndToEndBenchmark.TOPIC, qos, payload);
        this.payloadStart = packet.length - payload;
        this.packetIdOffset = RawPackets.publishPacketIdOffset(packet.length, payload);
        this.receiveMaximum = receiveMaximum;
        this.window = Math.min(receiveMaximum, maxInflight > 0 ? maxInflight : PIPIT_MAX_INFLIGHT);
        this.freeIds = new int[window];
        this.inFlight = new boolean[window + 1];
        for (int id = window; id >= 1; id--) {
            freeIds[freeCount++] = id;
        }
        // QoS 0: BATCH copies written once, only stamped later; QoS 1/2: the window's PUBLISHes and PUBRELs
        this.out = ByteBuffer.allocateDirect(qos == 0 ? BATCH * packet.length : window * (packet.length + 4));
        if (qos == 0) {
            for (int i = 0; i < BATCH; i++) {
                out.put(packet);
            }
        }
    }

    /**
     * Connects, sends CONNECT and reads the CONNACK's Receive Maximum.
     *
     * @param maxInflight the window pipit's publisher was given ({@code --max-inflight}), or 0 for its default
     * @throws IOException when the connection fails or the broker refuses CONNECT
     */
    static RawPublisher open(InetSocketAddress address, int qos, int payload, int maxInflight) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            RawSubscriber.writeFully(channel, RawPackets.connect("raw-pub"));
            ByteBuffer in = ByteBuffer.allocate(1024);
            int[] connack = {-1, RawPackets.DEFAULT_RECEIVE_MAXIMUM}; // reason code, Receive Maximum
            while (connack[0] < 0) {
                if (channel.read(in) < 0) {
                    throw new IOException("the broker closed the raw publisher's connection before CONNACK");
                }
                in.flip();
                RawPackets.scan(in, (type, flags, bytes, offset, length) -> {
                    connack[0] = type == RawPackets.CONNACK ? bytes.get(offset + 1) & 0xFF : 0x100 + type;
                    if (connack[0] == 0) {
                        connack[1] = RawPackets.connackReceiveMaximum(bytes, offset);
                    }
                });
                in.compact();
            }
            if (connack[0] != 0) {
                throw new IOException("the broker refused the raw publisher: "
                        + (connack[0] > 0xFF ? "packet type " + (connack[0] - 0x100) : "CONNACK " + connack[0]));
            }
            channel.configureBlocking(qos == 0);
            return new RawPublisher(channel, qos, payload, connack[1], maxInflight);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the Receive Maximum the broker's CONNACK granted */
    int receiveMaximum() {
        return receiveMaximum;
    }

    /** @return most QoS 1/2 PUBLISHes left unacknowledged at once */
    int window() {
        return window;
    }

    /** @return acknowledgements with an error reason code (0x80 or above) so far */
    long errors() {
        return errors;
    }

    /** @return when the last publish was written (QoS 0) or acknowledged (QoS 1/2), by {@link System#nanoTime} */
    long lastActivityNs() {
        return lastActivityNs;
    }

    /**
     * Publishes {@code count} stamped messages and, at QoS 1/2, waits for every acknowledgement.
     *
     * @param received the phase's messages received so far (QoS 1/2 stay {@value #MAX_AHEAD} ahead of it)
     */
    void publishAll(byte phase, int count, LongSupplier received) throws IOException {
        if (qos == 0) {
            publishBatches(phase, count);
        } else {
            publishWindowed(phase, count, received);
        }
        lastActivityNs = System.nanoTime();
    }

    private void publishBatches(byte phase, int count) throws IOException {
        for (int sent = 0; sent < count; ) {
            int packets = Math.min(BATCH, count - sent);
            out.clear(); // absolute puts check against the limit, which the last write left short
            for (int i = 0; i < packets; i++) {
                stamp(i * packet.length, phase, sent + i);
            }
            out.limit(packets * packet.length).position(0);
            writeOut();
            sent += packets;
        }
    }

    private void publishWindowed(byte phase, int count, LongSupplier received) throws IOException {
        out.clear();
        in.clear();
        int sent = 0;
        while (sent < count || freeCount < window) {
            long allowed = Math.min(count, received.getAsLong() + MAX_AHEAD);
            while (sent < allowed && freeCount > 0) {
                int id = freeIds[--freeCount];
                inFlight[id] = true;
                int start = out.position();
                out.put(packet);
                out.putShort(start + packetIdOffset, (short) id);
                stamp(start, phase, sent++);
            }
            if (out.position() > 0) { // the new PUBLISHes after the PUBRELs the last read made due
                out.flip();
                writeOut();
                out.clear();
            }
            if (freeCount < window) {
                int read = channel.read(in);
                if (read < 0) {
                    throw new IOException("the broker closed the raw publisher's connection with "
                            + (window - freeCount) + " publishes unacknowledged");
                }
                if (read == 0) {
                    Thread.yield();
                    continue;
                }
                in.flip();
                RawPackets.scan(in, this);
                in.compact();
            } else if (sent < count) {
                Thread.yield(); // nothing in flight, MAX_AHEAD ahead: only the subscriber can catch up
            }
        }
    }

    private void stamp(int packetStart, byte phase, long sequence) {
        out.putLong(packetStart + payloadStart + Receipts.SEQUENCE_OFFSET, sequence);
        out.put(packetStart + payloadStart + Receipts.PHASE_OFFSET, phase);
    }

    private void writeOut() throws IOException {
        RawSubscriber.writeFully(channel, out);
    }

    /** An acknowledgement from the broker; called by {@link RawPackets#scan} on the publishing thread. */
    @Override
    public void onPacket(int type, int flags, ByteBuffer bytes, int bodyOffset, int remainingLength) {
        int id = RawPackets.uint16(bytes, bodyOffset);
        boolean failed = RawPackets.ackReasonCode(bytes, bodyOffset, remainingLength) >= 0x80;
        if (qos == 1 ? type != RawPackets.PUBACK : type != RawPackets.PUBREC && type != RawPackets.PUBCOMP) {
            throw new IllegalStateException("unexpected packet type " + type + " for a QoS " + qos + " publish");
        }
        if (id < 1 || id > window || !inFlight[id]) {
            throw new IllegalStateException("acknowledgement type " + type + " for Packet Identifier " + id
                    + ", which is not in flight");
        }
        if (type == RawPackets.PUBREC && !failed) {
            RawPackets.putAck(out, RawPackets.PUBREL, id); // the publish stays in flight until PUBCOMP
            return;
        }
        errors += failed ? 1 : 0;
        inFlight[id] = false;
        freeIds[freeCount++] = id;
    }

    /** Sends DISCONNECT and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            RawSubscriber.writeFully(channel, RawPackets.disconnect());
        } finally {
            channel.close();
        }
    }
}
