package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received PUBLISH (spec 3.3): topic, flags, packet identifier, properties and the
 * payload's place in the receive buffer. Nothing is copied; the view is valid until it is wrapped again
 * (in the client: until the listener callback returns). Not thread-safe.
 *
 * <p>Malformed cases: QoS 3 or DUP on QoS 0 (0x81), a Packet Identifier of 0 (0x82), a topic that is not
 * valid UTF-8 (0x81) or holds a wildcard (0x90), an empty topic without a Topic Alias (0x82 in 5.0, 0x90
 * in 3.1.1), and every property rule of {@link PropertiesView}.
 */
public final class PublishView {
    private ByteBuffer buf;
    private int qos;
    private boolean dup;
    private boolean retain;
    private int packetId;
    private int payloadOffset;
    private int payloadLength;
    private final Utf8View topic = new Utf8View();
    private final PropertiesView properties;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public PublishView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    PublishView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the PUBLISH whose variable header starts at {@code offset}.
     *
     * @param flags the low nibble of the fixed header's first byte
     * @throws MqttCodecException for any malformed input
     */
    public void wrap(ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion version) {
        this.buf = buffer;
        int limit = offset + remainingLength;
        qos = (flags >>> 1) & 0b11;
        dup = (flags & 0b1000) != 0;
        retain = (flags & 0b1) != 0;
        if (qos == 3) {
            throw MqttCodecException.malformed(offset, "PUBLISH with QoS 3");
        }
        if (dup && qos == 0) {
            throw MqttCodecException.malformed(offset, "PUBLISH with DUP set on QoS 0");
        }
        int index = topic.read(buffer, offset, limit, "PUBLISH Topic Name");
        int topicProblem = TopicNames.checkTopicName(buffer, topic.byteOffset(), topic.byteLength());
        if (topicProblem != TopicNames.VALID && topicProblem != TopicNames.EMPTY) {
            throw new MqttCodecException(ReasonCode.TOPIC_NAME_INVALID, offset,
                    "PUBLISH Topic Name: " + TopicNames.describe(topicProblem));
        }
        packetId = 0;
        if (qos > 0) {
            packetId = Wire.u16(buffer, index, limit, "PUBLISH Packet Identifier");
            if (packetId == 0) {
                throw MqttCodecException.protocolError(index, "PUBLISH at QoS " + qos + " with Packet Identifier 0");
            }
            index += 2;
        }
        if (version.isMqtt5()) {
            index = properties.wrap(buffer, index, limit, PacketType.PUBLISH);
        } else {
            properties.clear();
        }
        if (topicProblem == TopicNames.EMPTY && !properties.has(Property.TOPIC_ALIAS)) {
            throw new MqttCodecException(version.isMqtt5() ? ReasonCode.PROTOCOL_ERROR : ReasonCode.TOPIC_NAME_INVALID,
                    offset, "PUBLISH with an empty Topic Name and no Topic Alias");
        }
        payloadOffset = index;
        payloadLength = limit - index;
    }

    /** @return 0, 1 or 2 */
    public int qos() {
        return qos;
    }

    /** @return true when this is a redelivery of an earlier attempt */
    public boolean dup() {
        return dup;
    }

    /** @return the RETAIN flag */
    public boolean retain() {
        return retain;
    }

    /** @return the Packet Identifier, or 0 at QoS 0 */
    public int packetId() {
        return packetId;
    }

    /** @return the Topic Name; empty (byte length 0) when the sender used a Topic Alias alone */
    public Utf8View topic() {
        return topic;
    }

    /** @return the properties (always empty for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }

    /** @return the receive buffer holding the payload */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return index of the payload's first byte in {@link #buffer()} */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** @return payload length in bytes (may be 0) */
    public int payloadLength() {
        return payloadLength;
    }

    /** Copies the payload to {@code dst} at {@code dstOffset}; allocation-free. */
    public void copyPayload(byte[] dst, int dstOffset) {
        for (int i = 0; i < payloadLength; i++) {
            dst[dstOffset + i] = buf.get(payloadOffset + i);
        }
    }
}
