package io.pipit.mqtt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Finding and aging the Message Expiry Interval in an encoded PUBLISH, among other properties. */
class MessageExpiryTest {
    private static ByteBuffer encode(int qos, MqttProperties properties, int payloadLength) {
        ByteBuffer buf = ByteBuffer.allocate(512);
        PublishEncoder.encode(buf, ProtocolVersion.MQTT_5, QueueTestSupport.TOPIC, qos, false, false, 1, properties,
                new byte[payloadLength], 0, payloadLength);
        return buf.flip();
    }

    @Test
    void shouldFindTheIntervalBehindOtherPropertiesAtEveryQos() {
        MqttProperties properties = new MqttProperties().string(Property.CONTENT_TYPE, "application/json")
                .put(Property.CORRELATION_DATA, new byte[] {1, 2, 3}).addUserProperty("a", "b")
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 0x01020304);
        for (int qos = 0; qos <= 2; qos++) {
            ByteBuffer packet = encode(qos, properties, 0); // no payload: the interval may end the packet
            int offset = MessageExpiry.find(packet);
            assertTrue(offset > 0, "QoS " + qos);
            assertEquals(0x01020304, packet.getInt(offset));
        }
    }

    @Test
    void shouldFindNothingWithoutTheProperty() {
        assertEquals(MessageExpiry.NONE, MessageExpiry.find(encode(1, null, 10)));
        assertEquals(MessageExpiry.NONE, MessageExpiry.find(encode(1,
                new MqttProperties().string(Property.RESPONSE_TOPIC, "r/1"), 10)));
        assertEquals(MessageExpiry.NONE, MessageExpiry.find(ByteBuffer.wrap(new byte[] {0x32, 0x7F, 0, 9})),
                "a truncated packet is no PUBLISH to age");
    }

    @Test
    void shouldLowerByWholeSecondsWaitedAndExpireOnceTheIntervalPassed() {
        ByteBuffer packet = encode(1, new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 10), 4);
        int offset = MessageExpiry.find(packet);
        assertFalse(MessageExpiry.expireOrAge(packet, 0, offset, 1_000, 1_000), "no time passed");
        assertEquals(10, packet.getInt(offset));
        assertFalse(MessageExpiry.expireOrAge(packet, 0, offset, 1_000, 4_999));
        assertEquals(7, packet.getInt(offset), "3.999 s waited: 3 whole seconds off");
        packet.putInt(offset, 10);
        assertTrue(MessageExpiry.expireOrAge(packet, 0, offset, 1_000, 11_000), "exactly 10 s: expired");
    }
}
