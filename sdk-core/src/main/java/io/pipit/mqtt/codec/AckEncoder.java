package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Encodes PUBACK, PUBREC, PUBREL and PUBCOMP (spec 3.4 to 3.7) straight into the caller's buffer. Stateless
 * and allocation-free (this is on the per-message path of QoS 1 and 2); safe from any thread as long as
 * each thread has its own buffer.
 *
 * <p>Always the shortest legal form, so encode, decode and re-encode give the same bytes: reason 0x00 with
 * no properties is just the Packet Identifier (Remaining Length 2); a reason code with no properties adds
 * one byte (3); with properties, the code and the whole section. A {@code null} or empty
 * {@link MqttProperties} means none. PUBREL carries the fixed-header flags 0b0010.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes the packet takes;
 * {@code encode} returns -1 and leaves {@code dst} untouched when it lacks room. Arguments no peer may
 * receive (a Packet Identifier outside 1..65535, a reason code or property the packet may not carry, a
 * reason code or properties on MQTT 3.1.1) are an {@link IllegalArgumentException}.
 */
public final class AckEncoder {
    private AckEncoder() {
    }

    /**
     * @param type {@link PacketType#PUBACK}, {@code PUBREC}, {@code PUBREL} or {@code PUBCOMP}
     * @param properties the properties, or null for none (null or empty for 3.1.1)
     * @return the whole packet's size on the wire
     * @throws IllegalArgumentException for arguments no peer may receive
     */
    public static int encodedLength(int type, ProtocolVersion version, int reasonCode, MqttProperties properties) {
        checkType(type);
        return FixedHeader.packetLength(2 + ReasonEncoder.tailLength(type, version, reasonCode, properties));
    }

    /**
     * Encodes an ack at {@code dst}'s position.
     *
     * @param type {@link PacketType#PUBACK}, {@code PUBREC}, {@code PUBREL} or {@code PUBCOMP}
     * @param packetId the Packet Identifier of the flow being acknowledged, 1..65535
     * @param reasonCode a code the packet may carry; 0x00 for MQTT 3.1.1
     * @param properties the properties, or null for none (null or empty for 3.1.1)
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     * @throws IllegalArgumentException for arguments no peer may receive
     */
    public static int encode(ByteBuffer dst, int type, ProtocolVersion version, int packetId, int reasonCode,
            MqttProperties properties) {
        checkType(type);
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException(PacketType.name(type) + " Packet Identifier must be 1..65535: "
                    + packetId);
        }
        int tailLength = ReasonEncoder.tailLength(type, version, reasonCode, properties);
        return ReasonEncoder.write(dst, type, packetId, tailLength, reasonCode, properties);
    }

    private static void checkType(int type) {
        if (type < PacketType.PUBACK || type > PacketType.PUBCOMP) {
            throw new IllegalArgumentException("AckEncoder writes PUBACK, PUBREC, PUBREL and PUBCOMP, not "
                    + PacketType.name(type));
        }
    }
}
