package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Splits a receive buffer into MQTT packets and decodes each into a reusable view: one instance per
 * connection, on the thread that reads the connection. Not thread-safe. Allocates nothing per packet.
 *
 * <pre>{@code
 * int n;
 * while ((n = decoder.decode(rx, index, rx.limit())) > 0) {
 *     switch (decoder.type()) { case PacketType.PUBLISH: onPublish(decoder.publish()); break; ... }
 *     index += n;
 * }
 * }</pre>
 *
 * <p>The views are valid until the next {@code decode}; all of them share one {@link PropertiesView}, so the
 * properties of a packet must be read (or copied) before the next one is decoded. Each view is made the first
 * time a packet of its type arrives (or it is asked for), so a decoder holds only the views it has used. A packet over the configured Maximum Packet Size
 * is refused as soon as its fixed header has arrived (0x95), so the caller never buffers it. Every other
 * malformed input raises {@link MqttCodecException} with its reason code; nothing else is ever thrown.
 */
public final class PacketDecoder {
    private ProtocolVersion version;
    private int maximumPacketSize;
    private int type;
    private int flags;
    private int bodyOffset;
    private int remainingLength;
    /** The one property section of the packet last decoded, whichever view decoded it. */
    private final PropertiesView properties = new PropertiesView();
    // Each view is made with the first packet of its type: a client never decodes CONNECT or SUBSCRIBE.
    private ConnectView connect;
    private ConnackView connack;
    private PublishView publish;
    private AckView ack;
    private SubscribeView subscribe;
    private SubackView suback;
    private ReasonView reason;

    /**
     * @param version the version agreed for the connection; CONNECT carries its own and ignores it
     * @param maximumPacketSize the largest packet accepted, header included (at most
     *     {@link FixedHeader#MAX_PACKET_SIZE})
     */
    public PacketDecoder(ProtocolVersion version, int maximumPacketSize) {
        version(version);
        maximumPacketSize(maximumPacketSize);
    }

    /** Changes the version, e.g. after a fallback from 5.0 to 3.1.1 or a server reading CONNECT. */
    public PacketDecoder version(ProtocolVersion newVersion) {
        if (newVersion == null) {
            throw new IllegalArgumentException("version must not be null");
        }
        this.version = newVersion;
        return this;
    }

    /** @return the version packets are decoded as */
    public ProtocolVersion version() {
        return version;
    }

    /** Changes the largest packet accepted, header included. */
    public PacketDecoder maximumPacketSize(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("Maximum Packet Size must be at least 2: " + size);
        }
        this.maximumPacketSize = size;
        return this;
    }

    /**
     * Decodes the packet starting at {@code offset} if it has fully arrived.
     *
     * @param limit one past the last received byte
     * @return the packet's length in bytes (consume that many), or 0 when more bytes are needed
     * @throws MqttCodecException for malformed input, with the reason code to DISCONNECT with
     */
    public int decode(ByteBuffer buffer, int offset, int limit) {
        long header = FixedHeader.read(buffer, offset, limit, maximumPacketSize);
        if (header == FixedHeader.INCOMPLETE) {
            return 0;
        }
        int headerLength = FixedHeader.headerLength(header);
        int remaining = FixedHeader.remainingLength(header);
        if (limit - offset - headerLength < remaining) {
            return 0;
        }
        int first = buffer.get(offset) & 0xFF;
        type = first >>> 4;
        flags = first & 0x0F;
        bodyOffset = offset + headerLength;
        remainingLength = remaining;
        if (type != PacketType.PUBLISH && flags != PacketType.requiredFlags(type)) {
            throw MqttCodecException.malformed(offset, String.format("%s with reserved flags 0x%X (must be 0x%X)",
                    PacketType.name(type), flags, PacketType.requiredFlags(type)));
        }
        wrap(buffer);
        return headerLength + remaining;
    }

    private void wrap(ByteBuffer buffer) {
        switch (type) {
            case PacketType.CONNECT: connect().wrap(buffer, flags, bodyOffset, remainingLength, version); break;
            case PacketType.CONNACK: connack().wrap(buffer, flags, bodyOffset, remainingLength, version); break;
            case PacketType.PUBLISH: publish().wrap(buffer, flags, bodyOffset, remainingLength, version); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                ack().wrap(type, buffer, flags, bodyOffset, remainingLength, version);
                break;
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                subscribe().wrap(type, buffer, flags, bodyOffset, remainingLength, version);
                break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                suback().wrap(type, buffer, flags, bodyOffset, remainingLength, version);
                break;
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
                if (remainingLength != 0) {
                    throw MqttCodecException.malformed(bodyOffset, PacketType.name(type) + " with Remaining Length "
                            + remainingLength + " (must be 0)");
                }
                break;
            case PacketType.DISCONNECT:
            case PacketType.AUTH:
                reason().wrap(type, buffer, flags, bodyOffset, remainingLength, version);
                break;
            default:
                throw MqttCodecException.malformed(bodyOffset, "packet type 0 is reserved");
        }
    }

    /** @return the type ({@link PacketType}) of the packet last decoded */
    public int type() {
        return type;
    }

    /** @return the fixed-header flags of the packet last decoded */
    public int flags() {
        return flags;
    }

    /** @return the CONNECT view (valid when {@link #type()} is CONNECT) */
    public ConnectView connect() {
        if (connect == null) {
            connect = new ConnectView(properties);
        }
        return connect;
    }

    /** @return the CONNACK view */
    public ConnackView connack() {
        if (connack == null) {
            connack = new ConnackView(properties);
        }
        return connack;
    }

    /** @return the PUBLISH view */
    public PublishView publish() {
        if (publish == null) {
            publish = new PublishView(properties);
        }
        return publish;
    }

    /** @return the view for PUBACK, PUBREC, PUBREL and PUBCOMP */
    public AckView ack() {
        if (ack == null) {
            ack = new AckView(properties);
        }
        return ack;
    }

    /** @return the view for SUBSCRIBE and UNSUBSCRIBE */
    public SubscribeView subscribe() {
        if (subscribe == null) {
            subscribe = new SubscribeView(properties);
        }
        return subscribe;
    }

    /** @return the view for SUBACK and UNSUBACK */
    public SubackView suback() {
        if (suback == null) {
            suback = new SubackView(properties);
        }
        return suback;
    }

    /** @return the view for DISCONNECT and AUTH */
    public ReasonView reason() {
        if (reason == null) {
            reason = new ReasonView(properties);
        }
        return reason;
    }
}
