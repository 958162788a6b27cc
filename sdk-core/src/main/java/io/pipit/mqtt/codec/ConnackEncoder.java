package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Encodes CONNACK (spec 3.2 of MQTT 5.0 and of 3.1.1) straight into the caller's buffer. A client never
 * sends CONNACK: this serves the test kit's mock broker and the fault proxy. Stateless and allocation-free;
 * safe from any thread as long as each thread has its own buffer.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes the packet takes;
 * {@code encode} returns -1 and leaves {@code dst} untouched when it lacks room. Arguments no peer may
 * receive (a code the version does not define for CONNACK, Session Present with a refusal, properties on
 * 3.1.1) are an {@link IllegalArgumentException}.
 */
public final class ConnackEncoder {
    private ConnackEncoder() {
    }

    /**
     * @param properties the properties, or null for none (always null or empty for 3.1.1)
     * @return the whole packet's size on the wire
     */
    public static int encodedLength(ProtocolVersion version, MqttProperties properties) {
        return FixedHeader.packetLength(remainingLength(version, properties));
    }

    /**
     * Writes a CONNACK at {@code dst}'s position.
     *
     * @param sessionPresent true when the server resumed a stored session; only with code 0
     * @param reasonCode a 5.0 CONNACK Reason Code, or a 3.1.1 Return Code 0..5
     * @param properties the properties, or null for none (always null or empty for 3.1.1)
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     */
    public static int encode(ByteBuffer dst, ProtocolVersion version, boolean sessionPresent, int reasonCode,
            MqttProperties properties) {
        ReasonCodes.require(version, PacketType.CONNACK, reasonCode);
        if (sessionPresent && reasonCode != 0) {
            throw new IllegalArgumentException(String.format(
                    "Session Present must be 0 with the non-zero CONNACK code 0x%02X", reasonCode));
        }
        int remaining = remainingLength(version, properties);
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        FixedHeader.write(dst, PacketType.CONNACK, 0, remaining);
        dst.put((byte) (sessionPresent ? 1 : 0)).put((byte) reasonCode);
        if (version.isMqtt5()) {
            MqttProperties.write(dst, properties, PacketType.CONNACK);
        }
        return total;
    }

    private static int remainingLength(ProtocolVersion version, MqttProperties properties) {
        if (!version.isMqtt5()) {
            if (properties != null && !properties.isEmpty()) {
                throw new IllegalArgumentException("MQTT 3.1.1 CONNACK has no properties");
            }
            return 2;
        }
        long remaining = 2L + MqttProperties.sectionLength(properties, PacketType.CONNACK);
        if (remaining > VarInt.MAX_VALUE) {
            throw new IllegalArgumentException("CONNACK of " + remaining + " bytes is larger than MQTT allows");
        }
        return (int) remaining;
    }
}
