package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The encoder-side holder, whose storage is made on first set and kept through clear. */
class MqttPropertiesTest {
    private static final byte[] TYPE = CodecTestSupport.utf8("text/plain");
    private static final byte[] KEY = CodecTestSupport.utf8("k");
    private static final byte[] VALUE = CodecTestSupport.utf8("v");
    private static final byte[] CORRELATION = {1, 2};

    private final MqttProperties properties = new MqttProperties();

    @Test
    void shouldReadAsEmptyBeforeAnythingIsSet() {
        assertTrue(properties.isEmpty());
        assertEquals(-1, properties.number(Property.TOPIC_ALIAS, -1));
        assertNull(properties.bytes(Property.CONTENT_TYPE));
        assertEquals(0, properties.userPropertyCount());
        assertEquals(0, properties.subscriptionIdentifierCount());
        assertEquals(0, properties.contentLength(PacketType.PUBLISH));
        assertTrue(properties.clear().remove(Property.USER_PROPERTY).remove(Property.CONTENT_TYPE).isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> properties.userPropertyKey(0));
        assertThrows(IndexOutOfBoundsException.class, () -> properties.subscriptionIdentifier(0));
    }

    @Test
    void shouldKeepEachKindApart() {
        fill(properties);
        assertEquals(1, properties.number(Property.PAYLOAD_FORMAT_INDICATOR, -1));
        assertEquals(60, properties.number(Property.MESSAGE_EXPIRY_INTERVAL, -1));
        assertEquals(9, properties.number(Property.TOPIC_ALIAS, -1));
        assertArrayEquals(TYPE, properties.bytes(Property.CONTENT_TYPE));
        assertArrayEquals(new byte[] {1, 2}, properties.bytes(Property.CORRELATION_DATA));
        assertNull(properties.bytes(Property.RESPONSE_TOPIC));
        assertEquals(-1, properties.number(Property.SUBSCRIPTION_IDENTIFIER, -1));
        assertEquals(5, properties.userPropertyCount());
        assertArrayEquals(VALUE, properties.userPropertyValue(4));
        assertEquals(3, properties.subscriptionIdentifierCount());
        assertEquals(300, properties.subscriptionIdentifier(2));
    }

    @Test
    void shouldEncodeWhatItHoldsAndDecodeToTheSame() {
        fill(properties);
        ByteBuffer dst = ByteBuffer.allocate(properties.sectionLength(PacketType.PUBLISH));
        properties.write(dst, PacketType.PUBLISH);
        dst.flip();
        PropertiesView view = new PropertiesView();
        assertEquals(dst.limit(), view.wrap(dst, 0, dst.limit(), PacketType.PUBLISH));
        CodecTestSupport.assertSameProperties(properties, view);
        MqttProperties copy = new MqttProperties().copyFrom(view);
        CodecTestSupport.assertSameProperties(copy, view);
        CodecTestSupport.assertSameProperties(new MqttProperties().copyFrom(properties), view);
    }

    @Test
    void shouldRemoveOneKindAndLeaveTheOthers() {
        fill(properties);
        properties.remove(Property.CONTENT_TYPE).remove(Property.USER_PROPERTY).remove(Property.TOPIC_ALIAS);
        assertNull(properties.bytes(Property.CONTENT_TYPE));
        assertArrayEquals(new byte[] {1, 2}, properties.bytes(Property.CORRELATION_DATA));
        assertEquals(0, properties.userPropertyCount());
        assertEquals(-1, properties.number(Property.TOPIC_ALIAS, -1));
        assertEquals(60, properties.number(Property.MESSAGE_EXPIRY_INTERVAL, -1));
        properties.remove(Property.SUBSCRIPTION_IDENTIFIER);
        assertEquals(0, properties.subscriptionIdentifierCount());
    }

    @Test
    void shouldRefillAfterClearWithoutAllocating() {
        fill(properties);
        AllocationMeter meter = new AllocationMeter(3);
        // Integer, binary and Subscription Identifier setters; the UTF-8 ones validate through a ByteBuffer.
        assertEquals(0L, meter.leastBytesPerRound(() -> {
            int sum = 0;
            for (int i = 0; i < 10_000; i++) {
                properties.clear().put(Property.MESSAGE_EXPIRY_INTERVAL, i).put(Property.CORRELATION_DATA, CORRELATION)
                        .addSubscriptionIdentifier(1).addSubscriptionIdentifier(2).addSubscriptionIdentifier(3);
                sum += properties.subscriptionIdentifierCount() + (int) properties.number(Property.TOPIC_ALIAS, 0);
            }
            return sum;
        }));
        assertEquals(30_000, meter.lastChecksum());
    }

    private static MqttProperties fill(MqttProperties into) {
        into.put(Property.PAYLOAD_FORMAT_INDICATOR, 1).put(Property.MESSAGE_EXPIRY_INTERVAL, 60)
                .put(Property.TOPIC_ALIAS, 9).put(Property.CONTENT_TYPE, TYPE)
                .put(Property.CORRELATION_DATA, CORRELATION)
                .addSubscriptionIdentifier(100).addSubscriptionIdentifier(200).addSubscriptionIdentifier(300);
        for (int i = 0; i < 5; i++) {
            into.addUserProperty(KEY, VALUE);
        }
        return into;
    }
}
