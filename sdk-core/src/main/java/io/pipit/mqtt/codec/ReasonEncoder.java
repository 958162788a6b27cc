package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * Encodes DISCONNECT (spec 3.14) and AUTH (spec 3.15) straight into the caller's buffer. Stateless and
 * allocation-free; safe from any thread as long as each thread has its own buffer.
 *
 * <p>Always the shortest legal form, so encode, decode and re-encode give the same bytes: reason 0x00
 * with no properties is Remaining Length 0; a reason code with no properties is Remaining Length 1; with
 * properties, the code and the whole section. A {@code null} or empty {@link MqttProperties} means none.
 * An AUTH with a reason code or properties must carry an Authentication Method (spec 3.15.2.2.2), so the
 * one-byte form never occurs for AUTH.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes the packet takes;
 * {@code encode} returns -1 and leaves {@code dst} untouched when it lacks room. Arguments no peer may
 * receive (a reason code the packet may not carry, a property it may not carry, AUTH or a reason code or
 * properties on MQTT 3.1.1) are an {@link IllegalArgumentException}.
 */
public final class ReasonEncoder {
    private ReasonEncoder() {
    }

    /**
     * @param type {@link PacketType#DISCONNECT} or {@link PacketType#AUTH}
     * @param properties the properties, or null for none (null or empty for 3.1.1)
     * @return the whole packet's size on the wire
     * @throws IllegalArgumentException for arguments no peer may receive
     */
    public static int encodedLength(int type, ProtocolVersion version, int reasonCode, MqttProperties properties) {
        return FixedHeader.packetLength(remainingLength(type, version, reasonCode, properties));
    }

    /**
     * Encodes a DISCONNECT or AUTH at {@code dst}'s position.
     *
     * @param type {@link PacketType#DISCONNECT} or {@link PacketType#AUTH}
     * @param reasonCode a code the packet may carry; 0x00 for MQTT 3.1.1
     * @param properties the properties, or null for none (null or empty for 3.1.1)
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     * @throws IllegalArgumentException for arguments no peer may receive
     */
    public static int encode(ByteBuffer dst, int type, ProtocolVersion version, int reasonCode,
            MqttProperties properties) {
        // No Packet Identifier: the whole body is the tail.
        return write(dst, type, -1, remainingLength(type, version, reasonCode, properties), reasonCode, properties);
    }

    private static int remainingLength(int type, ProtocolVersion version, int reasonCode, MqttProperties properties) {
        if (type != PacketType.DISCONNECT && type != PacketType.AUTH) {
            throw new IllegalArgumentException("ReasonEncoder writes DISCONNECT and AUTH, not "
                    + PacketType.name(type));
        }
        if (type == PacketType.AUTH) {
            if (!version.isMqtt5()) {
                throw new IllegalArgumentException("AUTH is not an MQTT 3.1.1 packet");
            }
            boolean bare = reasonCode == ReasonCode.SUCCESS && isEmpty(properties);
            if (!bare && (properties == null || !properties.has(Property.AUTHENTICATION_METHOD))) {
                throw new IllegalArgumentException(
                        "AUTH with a reason code or properties needs an Authentication Method");
            }
        }
        return tailLength(type, version, reasonCode, properties);
    }

    /**
     * The length of the tail "[reason code [property section]]" in its shortest form, after checking it:
     * shared by DISCONNECT, AUTH and the four acks (which put a Packet Identifier before it).
     *
     * @param type the packet type, which is also the property scope
     * @throws IllegalArgumentException for a reason code or property the packet may not carry
     */
    static int tailLength(int type, ProtocolVersion version, int reasonCode, MqttProperties properties) {
        if (!version.isMqtt5()) {
            if (reasonCode != ReasonCode.SUCCESS) {
                throw new IllegalArgumentException(String.format("MQTT 3.1.1 %s carries no reason code, got 0x%02X",
                        PacketType.name(type), reasonCode));
            }
            if (!isEmpty(properties)) {
                throw new IllegalArgumentException("MQTT 3.1.1 " + PacketType.name(type) + " has no properties");
            }
            return 0;
        }
        ReasonCodes.require(version, type, reasonCode);
        if (isEmpty(properties)) {
            return reasonCode == ReasonCode.SUCCESS ? 0 : 1;
        }
        return 1 + properties.sectionLength(type);
    }

    /**
     * Writes a packet made of the fixed header, an optional Packet Identifier and the tail.
     *
     * @param packetId the Packet Identifier, or -1 when the packet has none
     * @param tailLength what {@link #tailLength} returned for the same arguments
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     */
    static int write(ByteBuffer dst, int type, int packetId, int tailLength, int reasonCode,
            MqttProperties properties) {
        int remaining = (packetId < 0 ? 0 : 2) + tailLength;
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        FixedHeader.write(dst, type, PacketType.requiredFlags(type), remaining);
        if (packetId >= 0) {
            Wire.putU16(dst, packetId);
        }
        if (tailLength > 0) {
            dst.put((byte) reasonCode);
        }
        if (tailLength > 1) {
            properties.write(dst, type);
        }
        return total;
    }

    private static boolean isEmpty(MqttProperties properties) {
        return properties == null || properties.isEmpty();
    }
}
