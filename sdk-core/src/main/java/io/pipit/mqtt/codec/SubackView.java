package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received SUBACK or UNSUBACK (spec 3.9 and 3.11): Packet Identifier, properties and
 * the list of reason codes, one per Topic Filter of the request, read from the receive buffer when asked.
 * Nothing is copied; the view is valid until it is wrapped again. Not thread-safe.
 *
 * <p>Malformed cases: fixed-header flags other than 0 (0x81), a Packet Identifier of 0 (0x82), a code the
 * packet may not carry ({@link ReasonCodes}; 0x81), a SUBACK (either version) or MQTT 5.0 UNSUBACK without
 * any code (0x82, as for a SUBSCRIBE without filters: the reply cannot answer a request that had none),
 * an MQTT 3.1.1 UNSUBACK with any payload at all (0x81: its Remaining Length is exactly 2), and every
 * property rule of {@link PropertiesView}.
 */
public final class SubackView {
    private ByteBuffer buf;
    private int type;
    private int packetId;
    private int codeOffset;
    private int codeCount;
    private final PropertiesView properties;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public SubackView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    SubackView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the SUBACK or UNSUBACK whose variable header starts at {@code offset}.
     *
     * @param type {@link PacketType#SUBACK} or {@link PacketType#UNSUBACK}
     * @param flags the low nibble of the fixed header's first byte
     * @throws MqttCodecException for any malformed input
     * @throws IllegalArgumentException when {@code type} is neither SUBACK nor UNSUBACK
     */
    public void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength,
            ProtocolVersion version) {
        if (type != PacketType.SUBACK && type != PacketType.UNSUBACK) {
            throw new IllegalArgumentException("SubackView decodes SUBACK and UNSUBACK, not " + PacketType.name(type));
        }
        this.buf = buffer;
        this.type = type;
        codeCount = 0;
        int index = readHeader(type, buffer, flags, offset, remainingLength, version, properties);
        packetId = Wire.u16(buffer, offset, offset + 2, "Packet Identifier");
        int limit = offset + remainingLength;
        codeOffset = index;
        boolean hasCodes = version.isMqtt5() || type == PacketType.SUBACK;
        if (!hasCodes && index < limit) {
            throw MqttCodecException.malformed(index, "MQTT 3.1.1 UNSUBACK has no payload, but "
                    + (limit - index) + " byte(s) follow its Packet Identifier");
        }
        if (hasCodes && index == limit) {
            throw MqttCodecException.protocolError(index, PacketType.name(type) + " without any reason code");
        }
        for (int i = index; i < limit; i++) {
            ReasonCodes.check(version, type, buffer.get(i) & 0xFF, i);
        }
        codeCount = limit - index;
    }

    /**
     * Reads what SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK all open with: the fixed flags, a non-zero
     * Packet Identifier and, in MQTT 5.0, the properties. One method, so the four packets check them
     * the same way and no message string is built unless something is wrong.
     *
     * @return the index just after the properties (just after the Packet Identifier in 3.1.1)
     * @throws MqttCodecException for a packet running past the buffer or its own end, wrong flags (0x81),
     *     Packet Identifier 0 (0x82), or any property rule broken
     */
    static int readHeader(int type, ByteBuffer buffer, int flags, int offset, int remainingLength,
            ProtocolVersion version, PropertiesView properties) {
        if (offset < 0 || remainingLength < 0 || offset > buffer.limit() - remainingLength) {
            throw MqttCodecException.malformed(offset, PacketType.name(type) + " with Remaining Length "
                    + remainingLength + " runs past the end of the buffer (limit " + buffer.limit() + ")");
        }
        int required = PacketType.requiredFlags(type);
        if (flags != required) {
            throw MqttCodecException.malformed(offset, String.format(
                    "%s with fixed-header flags 0x%X; they must be 0x%X", PacketType.name(type), flags, required));
        }
        if (remainingLength < 2) {
            throw MqttCodecException.malformed(offset, "truncated " + PacketType.name(type) + " Packet Identifier: "
                    + "needs 2 byte(s), " + remainingLength + " left");
        }
        int limit = offset + remainingLength;
        if (Wire.u16(buffer, offset, limit, "Packet Identifier") == 0) {
            throw MqttCodecException.protocolError(offset, PacketType.name(type) + " with Packet Identifier 0");
        }
        if (version.isMqtt5()) {
            return properties.wrap(buffer, offset + 2, limit, type);
        }
        properties.clear();
        return offset + 2;
    }

    /** @return {@link PacketType#SUBACK} or {@link PacketType#UNSUBACK} */
    public int type() {
        return type;
    }

    /** @return the Packet Identifier of the SUBSCRIBE or UNSUBSCRIBE this answers (1..65535) */
    public int packetId() {
        return packetId;
    }

    /** @return the properties (always empty for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }

    /** @return how many reason codes the packet carries: one per Topic Filter; 0 for a 3.1.1 UNSUBACK */
    public int reasonCodeCount() {
        return codeCount;
    }

    /**
     * @param i 0 .. {@link #reasonCodeCount()} - 1, in the order of the request's Topic Filters
     * @return reason code {@code i} (a 3.1.1 SUBACK return code: 0x00..0x02 granted QoS, 0x80 failure)
     * @throws IndexOutOfBoundsException when {@code i} is outside the list
     */
    public int reasonCode(int i) {
        if (i < 0 || i >= codeCount) {
            throw new IndexOutOfBoundsException("reason code " + i + " of " + codeCount);
        }
        return buf.get(codeOffset + i) & 0xFF;
    }

    /** @return the receive buffer the codes live in */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return index of the first reason code in {@link #buffer()} */
    public int reasonCodeOffset() {
        return codeOffset;
    }
}
