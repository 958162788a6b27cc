package io.pipit.mqtt.codec;

import static io.pipit.mqtt.codec.CodecTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PublishCodecTest {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ProtocolVersion V3 = ProtocolVersion.MQTT_3_1_1;

    private final PublishView view = new PublishView();

    private static MqttProperties everyPublishProperty() {
        return new MqttProperties()
                .put(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 3600)
                .put(Property.TOPIC_ALIAS, 7)
                .string(Property.RESPONSE_TOPIC, "reply/to/me")
                .put(Property.CORRELATION_DATA, new byte[] {1, 2, 3})
                .addUserProperty("k1", "v1")
                .addUserProperty("k1", "v2")
                .addSubscriptionIdentifier(1)
                .addSubscriptionIdentifier(268_435_455)
                .string(Property.CONTENT_TYPE, "text/plain");
    }

    /** Decodes a whole packet: fixed header, then the PUBLISH body. */
    private void decode(ByteBuffer packet, ProtocolVersion version) {
        long header = FixedHeader.read(packet, 0, packet.limit(), FixedHeader.MAX_PACKET_SIZE);
        int headerLength = FixedHeader.headerLength(header);
        assertEquals(packet.limit(), headerLength + FixedHeader.remainingLength(header), "one whole packet");
        view.wrap(packet, packet.get(0) & 0x0F, headerLength, FixedHeader.remainingLength(header), version);
    }

    @Test
    void shouldEncodeHandWorkedQos0PublishFor311() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        byte[] payload = "hi".getBytes(StandardCharsets.US_ASCII);
        int written = PublishEncoder.encode(dst, V3, Topic.of("a/b"), 0, false, false, 0, null, payload, 0, 2);
        dst.flip();
        // remaining = 2 (topic length) + 3 (topic) + 2 (payload) = 7
        assertEquals(9, written);
        assertEquals(bytes(
                0x30, 0x07,             // PUBLISH, QoS 0; remaining length 7
                0x00, 0x03, 'a', '/', 'b', // topic "a/b"
                'h', 'i'), dst);        // payload
    }

    @Test
    void shouldEncodeHandWorkedQos1PublishFor5WithTopicAlias() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        MqttProperties props = new MqttProperties().put(Property.TOPIC_ALIAS, 2);
        int written = PublishEncoder.encode(dst, V5, Topic.of("t"), 1, true, true, 0x1234, props,
                new byte[] {9}, 0, 1);
        dst.flip();
        // remaining = 2 + 1 (topic) + 2 (packet id) + 1 (property length) + 3 (alias) + 1 (payload) = 10
        assertEquals(12, written);
        assertEquals(bytes(
                0x3B, 0x0A,             // PUBLISH, DUP, QoS 1, RETAIN; remaining length 10
                0x00, 0x01, 't',        // topic "t"
                0x12, 0x34,             // packet identifier 0x1234
                0x03, 0x23, 0x00, 0x02, // properties: 3 bytes, Topic Alias = 2
                0x09), dst);            // payload
    }

    @Test
    void shouldRoundTripEveryPropertyAndReencodeIdentically() {
        ByteBuffer dst = ByteBuffer.allocate(512);
        byte[] payload = new byte[100];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        MqttProperties props = everyPublishProperty();
        int written = PublishEncoder.encode(dst, V5, Topic.of("tele/ünï/temp"), 2, false, true, 65535, props,
                payload, 0, payload.length);
        assertEquals(PublishEncoder.encodedLength(V5, Topic.of("tele/ünï/temp").byteLength(), 2, props, 100), written);
        dst.flip();
        decode(dst, V5);

        assertEquals(2, view.qos());
        assertTrue(view.retain());
        assertFalse(view.dup());
        assertEquals(65535, view.packetId());
        assertEquals("tele/ünï/temp", view.topic().toString());
        assertEquals("tele/ünï/temp".length(), view.topic().length());
        assertEquals('ü', view.topic().charAt(5));
        assertEquals(100, view.payloadLength());
        byte[] copy = new byte[100];
        view.copyPayload(copy, 0);
        assertArrayEquals(payload, copy);
        PropertiesView p = view.properties();
        assertEquals(1, p.number(Property.PAYLOAD_FORMAT_INDICATOR, -1));
        assertEquals(3600, p.number(Property.MESSAGE_EXPIRY_INTERVAL, -1));
        assertEquals(7, p.number(Property.TOPIC_ALIAS, -1));
        assertEquals("reply/to/me", p.string(Property.RESPONSE_TOPIC).toString());
        assertEquals("text/plain", p.string(Property.CONTENT_TYPE).toString());
        assertTrue(p.binary(Property.CORRELATION_DATA).contentEquals(new byte[] {1, 2, 3}));
        assertEquals(2, p.userPropertyCount());
        assertEquals("v2", p.userPropertyValue(1).toString());
        assertEquals(2, p.subscriptionIdentifierCount());
        assertEquals(268_435_455, p.subscriptionIdentifier(1));

        ByteBuffer again = ByteBuffer.allocate(512);
        byte[] topic = new byte[view.topic().byteLength()];
        view.topic().copyTo(topic, 0);
        ByteBuffer payloadSlice = dst.duplicate();
        payloadSlice.position(view.payloadOffset()).limit(view.payloadOffset() + view.payloadLength());
        PublishEncoder.encode(again, V5, topic, view.qos(), view.dup(), view.retain(), view.packetId(),
                new MqttProperties().copyFrom(p), payloadSlice);
        again.flip();
        dst.rewind();
        assertEquals(dst, again);
    }

    @Test
    void shouldAcceptEmptyTopicWithTopicAliasIn5() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        PublishEncoder.encode(dst, V5, new byte[0], 0, false, false, 0,
                new MqttProperties().put(Property.TOPIC_ALIAS, 3), ByteBuffer.wrap(new byte[] {1}));
        dst.flip();
        decode(dst, V5);
        assertEquals(0, view.topic().byteLength());
        assertEquals(3, view.properties().number(Property.TOPIC_ALIAS, 0));
    }

    @Test
    void shouldReportLackOfRoomWithoutTouchingBuffer() {
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertEquals(-1, PublishEncoder.encode(dst, V5, Topic.of("abc"), 0, false, false, 0, null, new byte[4], 0, 4));
        assertEquals(0, dst.position());
    }

    @Test
    void shouldRefuseMisuseWhenEncoding() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        Topic t = Topic.of("t");
        assertThrows(IllegalArgumentException.class,
                () -> PublishEncoder.encode(dst, V5, t, 3, false, false, 1, null, new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PublishEncoder.encode(dst, V5, t, 1, false, false, 0, null, new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PublishEncoder.encode(dst, V5, t, 0, true, false, 0, null, new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PublishEncoder.encode(dst, V3, t, 0, false, false, 0,
                new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 1), new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PublishEncoder.encode(dst, V5, t, 0, false, false, 0,
                new MqttProperties().put(Property.RECEIVE_MAXIMUM, 1), new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PublishEncoder.encode(dst, V5, new byte[0], 0, false, false, 0, null, ByteBuffer.allocate(0)));
        assertThrows(IllegalArgumentException.class, () -> Topic.of("a/+"));
    }

    private int reasonFor(ProtocolVersion version, int... packet) {
        return assertThrows(MqttCodecException.class, () -> decode(bytes(packet), version)).reasonCode();
    }

    @Test
    void shouldRejectQos3AsMalformed() {
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01));
    }

    @Test
    void shouldRejectDupOnQos0AsMalformed() {
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x38, 0x04, 0x00, 0x01, 't', 0x00));
    }

    @Test
    void shouldRejectPacketIdentifierZeroAsProtocolError() {
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonFor(V5, 0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x00, 0x00));
    }

    @Test
    void shouldRejectWildcardTopicAsTopicNameInvalid() {
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, reasonFor(V5, 0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 0x00));
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, reasonFor(V3, 0x30, 0x03, 0x00, 0x01, '+'));
    }

    @Test
    void shouldRejectEmptyTopicWithoutAlias() {
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonFor(V5, 0x30, 0x03, 0x00, 0x00, 0x00));
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, reasonFor(V3, 0x30, 0x02, 0x00, 0x00));
    }

    @Test
    void shouldRejectInvalidUtf8Topic() {
        // 0xC0 0x80 is an overlong U+0000; 0xED 0xA0 0x80 is the surrogate U+D800.
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x05, 0x00, 0x02, 0xC0, 0x80, 0x00));
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x06, 0x00, 0x03, 0xED, 0xA0, 0x80, 0x00));
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x04, 0x00, 0x01, 0x00, 0x00));
    }

    @Test
    void shouldRejectTopicRunningPastPacket() {
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x03, 0x00, 0x09, 'a'));
    }

    @Test
    void shouldRejectPropertiesRunningPastPacket() {
        // property length says 9, only 3 bytes follow
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x07, 0x00, 0x01, 't', 0x09, 0x23, 0x00, 0x01));
    }

    @Test
    void shouldRejectTruncatedPropertyValue() {
        // Message Expiry Interval needs 4 bytes; the section holds 2
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x02, 0x00, 0x01));
    }

    @Test
    void shouldRejectPropertyNotAllowedOnPublishAsMalformed() {
        // 0x21 Receive Maximum belongs to CONNECT/CONNACK
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x21, 0x00, 0x01));
        // 0x7F is no property at all
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x06, 0x00, 0x01, 't', 0x02, 0x7F, 0x00));
    }

    @Test
    void shouldRejectDuplicatePropertyAsProtocolError() {
        assertEquals(ReasonCode.PROTOCOL_ERROR,
                reasonFor(V5, 0x30, 0x09, 0x00, 0x01, 't', 0x05, 0x23, 0x00, 0x01, 0x23, 0x00));
    }

    @Test
    void shouldRejectTopicAliasZero() {
        assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, reasonFor(V5, 0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00));
    }

    @Test
    void shouldRejectOutOfRangePropertyValuesAsProtocolError() {
        // Payload Format Indicator 2
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonFor(V5, 0x30, 0x06, 0x00, 0x01, 't', 0x02, 0x01, 0x02));
        // Subscription Identifier 0
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonFor(V5, 0x30, 0x06, 0x00, 0x01, 't', 0x02, 0x0B, 0x00));
    }

    @Test
    void shouldRejectNonMinimalVariableByteInteger() {
        // property length 0 encoded in two bytes
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonFor(V5, 0x30, 0x05, 0x00, 0x01, 't', 0x80, 0x00));
    }

    @Test
    void shouldTreatEverythingAfterHeaderAsPayloadIn311() {
        decode(bytes(0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x05, 0xAA), V3);
        assertEquals(5, view.packetId());
        assertEquals(1, view.payloadLength());
        assertEquals(0, view.properties().userPropertyCount());
        assertFalse(view.properties().has(Property.TOPIC_ALIAS));
    }
}
