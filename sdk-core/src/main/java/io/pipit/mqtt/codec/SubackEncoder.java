package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Encodes SUBACK and UNSUBACK (spec 3.9 and 3.11) straight into the caller's buffer. Stateless and
 * allocation-free; safe from any thread as long as each thread has its own buffer.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes a packet takes.
 * {@code encode} returns -1 and leaves {@code dst} untouched when it lacks room. Arguments no peer may
 * receive (a code the packet may not carry, Packet Identifier 0, properties on 3.1.1, an empty code
 * list, codes on a 3.1.1 UNSUBACK, ...) are an {@link IllegalArgumentException}, thrown before any byte
 * is written.
 */
public final class SubackEncoder {
    private SubackEncoder() {
    }

    /**
     * @param type {@link PacketType#SUBACK} or {@link PacketType#UNSUBACK}
     * @param properties the properties, or null for none (always null or empty for 3.1.1)
     * @param codeCount how many reason codes follow: one per Topic Filter of the request, and 0 for an
     *     MQTT 3.1.1 UNSUBACK, which has no payload
     * @return the whole packet's size on the wire
     */
    public static int encodedLength(int type, ProtocolVersion version, MqttProperties properties, int codeCount) {
        return FixedHeader.packetLength(remainingLength(type, version, properties, codeCount));
    }

    /**
     * Encodes a SUBACK or UNSUBACK.
     *
     * @param packetId the Packet Identifier of the SUBSCRIBE or UNSUBSCRIBE answered, 1..65535
     * @param properties the properties, or null for none (always null or empty for 3.1.1)
     * @param reasonCodes holds the codes at {@code codeOffset}; may be null when {@code codeCount} is 0
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     */
    public static int encode(ByteBuffer dst, int type, ProtocolVersion version, int packetId,
            MqttProperties properties, byte[] reasonCodes, int codeOffset, int codeCount) {
        int remaining = remainingLength(type, version, properties, codeCount);
        checkCodes(type, version, reasonCodes, codeOffset, codeCount);
        checkPacketId(type, packetId);
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        writeHeader(dst, type, version, remaining, packetId, properties);
        if (codeCount > 0) {
            dst.put(reasonCodes, codeOffset, codeCount);
        }
        return total;
    }

    private static int remainingLength(int type, ProtocolVersion version, MqttProperties properties,
            int codeCount) {
        if (type != PacketType.SUBACK && type != PacketType.UNSUBACK) {
            throw new IllegalArgumentException("SubackEncoder encodes SUBACK and UNSUBACK, not "
                    + PacketType.name(type));
        }
        boolean hasCodes = version.isMqtt5() || type == PacketType.SUBACK;
        if (hasCodes ? codeCount < 1 : codeCount != 0) {
            throw new IllegalArgumentException(hasCodes ? PacketType.name(type) + " needs at least one reason code"
                    : "MQTT 3.1.1 UNSUBACK carries no reason codes: " + codeCount + " given");
        }
        return headerLength(type, version, properties, codeCount);
    }

    private static void checkCodes(int type, ProtocolVersion version, byte[] codes, int offset, int count) {
        if (count == 0) {
            return;
        }
        if (codes == null || offset < 0 || offset > codes.length - count) {
            throw new IllegalArgumentException(count + " reason code(s) at " + offset + " do not fit in "
                    + (codes == null ? "a null array" : "an array of " + codes.length));
        }
        for (int i = offset; i < offset + count; i++) {
            ReasonCodes.require(version, type, codes[i] & 0xFF);
        }
    }

    /**
     * The Remaining Length of any of SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK: Packet Identifier,
     * properties in 5.0, then {@code payloadLength} bytes. Shared so the four packets size alike.
     *
     * @throws IllegalArgumentException for properties on 3.1.1, properties the packet may not carry, or
     *     a packet larger than MQTT allows
     */
    static int headerLength(int type, ProtocolVersion version, MqttProperties properties, long payloadLength) {
        if (!version.isMqtt5() && properties != null && !properties.isEmpty()) {
            throw new IllegalArgumentException("MQTT 3.1.1 " + PacketType.name(type) + " has no properties");
        }
        long remaining = 2L + payloadLength + (version.isMqtt5() ? MqttProperties.sectionLength(properties, type) : 0);
        if (remaining > VarInt.MAX_VALUE) {
            throw new IllegalArgumentException(PacketType.name(type) + " of " + remaining
                    + " bytes is larger than MQTT allows");
        }
        return (int) remaining;
    }

    /** @throws IllegalArgumentException unless {@code packetId} is 1..65535 */
    static void checkPacketId(int type, int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException(PacketType.name(type) + " Packet Identifier must be 1..65535: "
                    + packetId);
        }
    }

    /** Writes the fixed header, Packet Identifier and (5.0) properties of any of the four packets. */
    static void writeHeader(ByteBuffer dst, int type, ProtocolVersion version, int remaining, int packetId,
            MqttProperties properties) {
        FixedHeader.write(dst, type, PacketType.requiredFlags(type), remaining);
        Wire.putU16(dst, packetId);
        if (version.isMqtt5()) {
            MqttProperties.write(dst, properties, type);
        }
    }
}
