package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import java.nio.ByteBuffer;

/**
 * Encodes PUBLISH (spec 3.3) straight into the caller's buffer. Stateless and allocation-free; safe from
 * any thread as long as each thread has its own buffer.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes a packet takes, so the
 * caller can refuse one over the peer's Maximum Packet Size before touching a buffer. {@code encode}
 * returns -1 and leaves {@code dst} untouched when it lacks room: drain it, then retry.
 * Arguments no peer may receive (QoS 3, Packet Identifier 0 at QoS 1, properties on 3.1.1, ...) are an
 * {@link IllegalArgumentException}.
 */
public final class PublishEncoder {
    private PublishEncoder() {
    }

    /**
     * @param topicLength UTF-8 bytes of the Topic Name (0 when a Topic Alias stands in for it)
     * @param properties the properties, or null for none
     * @return the whole packet's size on the wire
     */
    public static int encodedLength(ProtocolVersion version, int topicLength, int qos, MqttProperties properties,
            int payloadLength) {
        return FixedHeader.packetLength(remainingLength(version, topicLength, qos, properties, payloadLength));
    }

    /**
     * Encodes a PUBLISH to a pre-encoded {@link Topic}.
     *
     * @param packetId 1..65535 at QoS 1 and 2; ignored at QoS 0
     * @param properties the properties, or null for none (always null for 3.1.1)
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     */
    public static int encode(ByteBuffer dst, ProtocolVersion version, Topic topic, int qos, boolean dup,
            boolean retain, int packetId, MqttProperties properties, byte[] payload, int payloadOffset,
            int payloadLength) {
        int total = begin(dst, version, topic.byteLength(), qos, dup, retain, properties, payloadLength);
        if (total < 0) {
            return -1;
        }
        topic.writeTo(dst);
        finish(dst, version, qos, packetId, properties);
        dst.put(payload, payloadOffset, payloadLength);
        return total;
    }

    /**
     * Encodes a PUBLISH whose Topic Name is given as UTF-8 bytes: an empty array when a Topic Alias in
     * {@code properties} stands in for the name, or bytes taken from a received packet.
     *
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     */
    public static int encode(ByteBuffer dst, ProtocolVersion version, byte[] topicUtf8, int qos, boolean dup,
            boolean retain, int packetId, MqttProperties properties, ByteBuffer payload) {
        if (topicUtf8.length == 0 && (properties == null || !properties.has(Property.TOPIC_ALIAS))) {
            throw new IllegalArgumentException("an empty Topic Name needs a Topic Alias");
        }
        int total = begin(dst, version, topicUtf8.length, qos, dup, retain, properties, payload.remaining());
        if (total < 0) {
            return -1;
        }
        dst.put(topicUtf8);
        finish(dst, version, qos, packetId, properties);
        dst.put(payload.duplicate());
        return total;
    }

    private static int remainingLength(ProtocolVersion version, int topicLength, int qos, MqttProperties properties,
            int payloadLength) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        if (!version.isMqtt5() && properties != null && !properties.isEmpty()) {
            throw new IllegalArgumentException("MQTT 3.1.1 PUBLISH has no properties");
        }
        long remaining = 2L + topicLength + (qos > 0 ? 2 : 0) + payloadLength
                + (version.isMqtt5() ? MqttProperties.sectionLength(properties, PacketType.PUBLISH) : 0);
        if (remaining > VarInt.MAX_VALUE) {
            throw new IllegalArgumentException("PUBLISH of " + remaining + " bytes is larger than MQTT allows");
        }
        return (int) remaining;
    }

    private static int begin(ByteBuffer dst, ProtocolVersion version, int topicLength, int qos, boolean dup,
            boolean retain, MqttProperties properties, int payloadLength) {
        if (dup && qos == 0) {
            throw new IllegalArgumentException("DUP must not be set on QoS 0");
        }
        int remaining = remainingLength(version, topicLength, qos, properties, payloadLength);
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        FixedHeader.write(dst, PacketType.PUBLISH, (dup ? 0b1000 : 0) | qos << 1 | (retain ? 1 : 0), remaining);
        Wire.putU16(dst, topicLength);
        return total;
    }

    private static void finish(ByteBuffer dst, ProtocolVersion version, int qos, int packetId,
            MqttProperties properties) {
        if (qos > 0) {
            if (packetId < 1 || packetId > 0xFFFF) {
                throw new IllegalArgumentException(
                        "Packet Identifier must be 1..65535 at QoS " + qos + ": " + packetId);
            }
            Wire.putU16(dst, packetId);
        }
        if (version.isMqtt5()) {
            MqttProperties.write(dst, properties, PacketType.PUBLISH);
        }
    }
}
