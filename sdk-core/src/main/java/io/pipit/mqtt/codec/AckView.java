package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received PUBACK, PUBREC, PUBREL or PUBCOMP (spec 3.4 to 3.7): the four packets
 * shaped "Packet Identifier, then an optional reason code, then optional properties". {@link #type()}
 * says which one was wrapped. Nothing is copied and nothing is allocated; the view is valid until it is
 * wrapped again. Not thread-safe: it belongs to the thread that decodes.
 *
 * <p>MQTT 5.0 short forms, all decoded: Remaining Length 2 means reason 0x00 and no properties; 3 means a
 * reason code and no properties; 4 or more means a reason code then a property section, which must end
 * exactly where the packet does. MQTT 3.1.1 acks are exactly the Packet Identifier (Remaining Length 2).
 *
 * <p>Malformed cases: fixed-header flags other than 0b0010 on PUBREL or 0b0000 on the others, a
 * truncated Packet Identifier, a reason code the packet may not carry, bytes left over, a 3.1.1 ack
 * longer than 2 bytes (all 0x81); a Packet Identifier of 0 (0x82); and every property rule of
 * {@link PropertiesView}.
 */
public final class AckView {
    /** Field names per type, made once so that a well-formed packet never builds a String. */
    private static final String[] PACKET_ID_FIELDS = {
        "PUBACK Packet Identifier", "PUBREC Packet Identifier", "PUBREL Packet Identifier", "PUBCOMP Packet Identifier",
    };

    private int type;
    private int packetId;
    /** Reads the tail DISCONNECT and AUTH share with the acks, and keeps its reason code and properties. */
    private final ReasonView tail;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public AckView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    AckView(PropertiesView properties) {
        this.tail = new ReasonView(properties);
    }

    /**
     * Decodes the ack whose variable header starts at {@code offset}.
     *
     * @param type {@link PacketType#PUBACK}, {@code PUBREC}, {@code PUBREL} or {@code PUBCOMP}, as the
     *     dispatcher read it
     * @param flags the low nibble of the fixed header's first byte
     * @throws MqttCodecException for any malformed input
     * @throws IllegalArgumentException when {@code type} is not one of the four acks (a dispatcher bug)
     */
    public void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength,
            ProtocolVersion version) {
        if (type < PacketType.PUBACK || type > PacketType.PUBCOMP) {
            throw new IllegalArgumentException("AckView reads PUBACK, PUBREC, PUBREL and PUBCOMP, not "
                    + PacketType.name(type));
        }
        this.type = type;
        ReasonView.checkFlags(type, flags, offset);
        int limit = offset + remainingLength;
        packetId = Wire.u16(buffer, offset, limit, PACKET_ID_FIELDS[type - PacketType.PUBACK]);
        if (packetId == 0) {
            throw MqttCodecException.protocolError(offset, PacketType.name(type) + " with Packet Identifier 0");
        }
        if (version.isMqtt5()) {
            tail.readTail(type, buffer, offset + 2, limit);
        } else if (remainingLength != 2) {
            throw MqttCodecException.malformed(offset, "MQTT 3.1.1 " + PacketType.name(type)
                    + " must have Remaining Length 2, was " + remainingLength);
        } else {
            tail.clearTail();
        }
    }

    /** @return {@link PacketType#PUBACK}, {@code PUBREC}, {@code PUBREL} or {@code PUBCOMP} */
    public int type() {
        return type;
    }

    /** @return the Packet Identifier, 1..65535 */
    public int packetId() {
        return packetId;
    }

    /** @return the reason code; 0x00 when the packet omitted it, and always 0x00 for MQTT 3.1.1 */
    public int reasonCode() {
        return tail.reasonCode();
    }

    /** @return the properties (empty when omitted, and always for MQTT 3.1.1) */
    public PropertiesView properties() {
        return tail.properties();
    }
}
