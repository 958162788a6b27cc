package io.pipit.testkit.internal;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.RecordedPacket.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection: reads and splits packets with the codec's {@link PacketDecoder}, hands each to the
 * {@link Broker}, and writes what the broker encodes, recording both directions. Also holds the state that
 * lives exactly as long as the connection (protocol version, Topic Alias table, inbound flows in progress,
 * Will, keepalive).
 *
 * <p>Thread-safety: confined to the broker's loop thread; every method runs there.
 */
final class Connection implements EventLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final int INITIAL_BUFFER = 16 * 1024;

    /** Writes one packet into {@code dst}; returns bytes written or -1 when it lacks room. */
    interface Encoding {
        int encode(ByteBuffer dst);
    }

    /** Where the connection is in its life. */
    enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final Broker broker;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final String remote;
    private final PacketDecoder decoder;
    private final PacketDecoder sentDecoder;
    private ByteBuffer rx = ByteBuffer.allocate(INITIAL_BUFFER);
    private ByteBuffer tx = ByteBuffer.allocate(INITIAL_BUFFER);
    private boolean closeWhenFlushed;
    private boolean blackHoled;

    State state = State.AWAIT_CONNECT;
    ProtocolVersion version = ProtocolVersion.MQTT_5;
    String clientId = "?";
    Session session;
    /** Will of this connection, published unless it ends with DISCONNECT 0x00. */
    Message will;
    long willDelaySeconds;
    int keepAliveSeconds;
    long lastReceivedNs = System.nanoTime();
    /** Client's limits from CONNECT. */
    int clientReceiveMaximum = 65_535;
    int clientMaximumPacketSize = FixedHeader.MAX_PACKET_SIZE;
    int clientTopicAliasMaximum;
    /** Topic → alias the broker assigned on this connection (aliases live as long as the connection). */
    final java.util.Map<String, Integer> outgoingAliases = new java.util.HashMap<>();
    /** Inbound Topic Alias table (client to broker). */
    final Map<Integer, String> topicAliases = new HashMap<>();
    /** QoS 1 and 2 PUBLISH flows from the client not yet completed (PUBACK or PUBCOMP not yet sent). */
    final Set<Integer> inboundUnacked = new HashSet<>();
    /** Authentication method and step of an enhanced-authentication exchange. */
    String authMethod;
    int authStep;
    /** What the CONNECT asked for; set when it is identified. */
    ConnectFlow.Pending pending;

    Connection(Broker broker, SocketChannel channel, EventLoop loop, int maximumPacketSize) throws IOException {
        this.broker = broker;
        this.channel = channel;
        this.remote = String.valueOf(channel.getRemoteAddress());
        channel.configureBlocking(false);
        channel.socket().setTcpNoDelay(true);
        this.decoder = new PacketDecoder(ProtocolVersion.MQTT_5, maximumPacketSize);
        this.sentDecoder = new PacketDecoder(ProtocolVersion.MQTT_5, FixedHeader.MAX_PACKET_SIZE);
        this.key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    boolean mqtt5() {
        return version.isMqtt5();
    }

    boolean isOpen() {
        return state != State.CLOSED;
    }

    void version(ProtocolVersion v) {
        version = v;
        decoder.version(v);
        sentDecoder.version(v);
    }

    @Override
    public void onReady(SelectionKey k) {
        if (k.isValid() && k.isWritable()) {
            flush();
        }
        if (k.isValid() && k.isReadable() && !blackHoled) {
            read();
        }
    }

    private void read() {
        int n;
        try {
            n = channel.read(rx);
        } catch (IOException e) {
            LOG.debug("read from {} ({}) failed: {}", clientId, remote, e.toString());
            broker.connectionLost(this, "read failed: " + e.getMessage());
            return;
        }
        if (n < 0) {
            broker.connectionLost(this, "closed by the client");
            return;
        }
        lastReceivedNs = System.nanoTime();
        decodeAll();
    }

    private void decodeAll() {
        int index = 0;
        int limit = rx.position();
        int needed = 0;
        while (isOpen() && !blackHoled && !closeWhenFlushed) {
            int n;
            try {
                n = decoder.decode(rx, index, limit);
            } catch (MqttCodecException e) {
                recordMalformed(index, limit, e);
                broker.malformed(this, e);
                return;
            }
            if (n == 0) {
                needed = packetLengthAt(index, limit);
                break;
            }
            broker.onPacket(this, decoder, rx, index, n);
            index += n;
        }
        if (!isOpen()) {
            return;
        }
        rx.limit(limit).position(index);
        rx.compact();
        if (needed > rx.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, rx.capacity() * 2));
            rx.flip();
            bigger.put(rx);
            rx = bigger;
        }
    }

    private void recordMalformed(int index, int limit, MqttCodecException e) {
        broker.log().add(Recorded.malformed(Direction.RECEIVED, clientId, mqtt5(), rx, index, limit - index,
                e.getMessage()));
    }

    /** @return the length of the packet that has started at {@code index}, or 0 while its header is partial */
    private int packetLengthAt(int index, int limit) {
        long header = FixedHeader.read(rx, index, limit, Integer.MAX_VALUE);
        return header == FixedHeader.INCOMPLETE ? 0
                : FixedHeader.headerLength(header) + FixedHeader.remainingLength(header);
    }

    /**
     * Sends a packet the protocol produced, unless a fault rule withholds or delays it.
     *
     * @param type the packet type, for the fault rules
     * @param packetId the Packet Identifier of an ack, to finish its inbound flow when really sent; else 0
     */
    void send(int type, int packetId, Encoding encoding) {
        long delay = broker.faults().sendDelay(clientId, type);
        if (delay < 0) {
            LOG.debug("withholding {} {} from {}", PacketType.name(type), packetId, clientId);
            return;
        }
        if (delay > 0) {
            broker.loop().schedule(delay, () -> sendNow(type, packetId, encoding));
            return;
        }
        sendNow(type, packetId, encoding);
    }

    /** Sends a packet now, bypassing fault rules. */
    void sendNow(int type, int packetId, Encoding encoding) {
        if (!isOpen() || blackHoled || closeWhenFlushed) {
            return;
        }
        int start = tx.position();
        int n;
        while ((n = encoding.encode(tx)) < 0) {
            ByteBuffer bigger = ByteBuffer.allocate(tx.capacity() * 2);
            tx.flip();
            bigger.put(tx);
            tx = bigger;
        }
        if (type == PacketType.PUBACK || type == PacketType.PUBCOMP) {
            inboundUnacked.remove(packetId);
        }
        recordSent(start, n);
        flush();
    }

    /** Sends an ack (PUBACK, PUBREC, PUBREL, PUBCOMP) through the fault rules. */
    void sendAck(int type, int packetId, int reasonCode) {
        int code = mqtt5() ? reasonCode : 0;
        ProtocolVersion v = version;
        send(type, packetId, dst -> AckEncoder.encode(dst, type, v, packetId, code, null));
    }

    /** Writes raw bytes, bypassing codec and fault rules; recorded as sent (decoded if they decode). */
    void sendRaw(byte[] bytes) {
        sendNow(0, 0, dst -> {
            if (dst.remaining() < bytes.length) {
                return -1;
            }
            dst.put(bytes);
            return bytes.length;
        });
    }

    private void recordSent(int start, int length) {
        try {
            int n = sentDecoder.decode(tx, start, start + length);
            if (n == length) {
                broker.log().add(Recorded.of(Direction.SENT, clientId, mqtt5(), sentDecoder, tx, start, length, null));
                return;
            }
            broker.log().add(Recorded.malformed(Direction.SENT, clientId, mqtt5(), tx, start, length,
                    n == 0 ? "incomplete packet" : "more than one packet"));
        } catch (MqttCodecException e) {
            broker.log().add(Recorded.malformed(Direction.SENT, clientId, mqtt5(), tx, start, length, e.getMessage()));
        }
    }

    private void flush() {
        if (!isOpen()) {
            return;
        }
        tx.flip();
        try {
            channel.write(tx);
        } catch (IOException e) {
            tx.compact();
            LOG.debug("write to {} ({}) failed: {}", clientId, remote, e.toString());
            broker.connectionLost(this, "write failed: " + e.getMessage());
            return;
        }
        tx.compact();
        boolean pending = tx.position() > 0;
        if (key.isValid()) {
            int read = blackHoled ? 0 : SelectionKey.OP_READ;
            key.interestOps(read | (pending ? SelectionKey.OP_WRITE : 0));
        }
        if (!pending && closeWhenFlushed) {
            broker.connectionLost(this, "closed by the broker");
        }
    }

    /** Stops reading and writing but keeps the socket open. */
    /** @return true once black-holed: such a connection stays open, silent and unread until the client gives up */
    boolean isBlackHoled() {
        return blackHoled;
    }

    void blackHole() {
        blackHoled = true;
        tx.clear();
        if (key.isValid()) {
            key.interestOps(0);
        }
    }

    /** Closes the socket once everything queued has been written (after a DISCONNECT or refusing CONNACK). */
    void closeAfterFlush() {
        closeWhenFlushed = true;
        flush();
    }

    /** Closes the socket now; the caller has already taken care of the session. */
    void closeChannel() {
        state = State.CLOSED;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the connection of {} ({}) failed", clientId, remote, e);
        }
    }

    @Override
    public String toString() {
        return "connection of " + clientId + " from " + remote;
    }
}
