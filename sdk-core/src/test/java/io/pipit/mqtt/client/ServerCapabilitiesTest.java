package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.Property;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {
    private final ConnackView connack = new ConnackView();

    private ServerCapabilities read(ProtocolVersion version, int... wire) {
        byte[] packet = new byte[wire.length];
        for (int i = 0; i < wire.length; i++) {
            packet[i] = (byte) wire[i];
        }
        connack.wrap(ByteBuffer.wrap(packet), 0, 2, packet.length - 2, version);
        return ServerCapabilities.of(connack.properties());
    }

    @Test
    void shouldKeepWhatTheServerAnnounced() {
        ServerCapabilities capabilities = read(ProtocolVersion.MQTT_5,
                0x20, 0x0F, // CONNACK, Remaining Length 15
                0x00, 0x00, // no Session Present, Reason Code 0x00 Success
                0x0C, // Property Length 12
                0x21, 0x00, 0x0A, // Receive Maximum 10
                0x24, 0x01, // Maximum QoS 1
                0x2A, 0x00, // Shared Subscription Available 0
                0x27, 0x00, 0x00, 0x08, 0x00); // Maximum Packet Size 2048
        assertEquals(10, capabilities.receiveMaximum());
        assertEquals(1, capabilities.maximumQos());
        assertFalse(capabilities.sharedSubscriptionAvailable());
        assertEquals(2048, capabilities.maximumPacketSize());
        assertTrue(capabilities.announced(Property.MAXIMUM_PACKET_SIZE));
        assertFalse(capabilities.announced(Property.RETAIN_AVAILABLE));
        assertTrue(capabilities.retainAvailable(), "absent: the spec's default");
        assertEquals("Receive Maximum=10, Maximum QoS=1, Maximum Packet Size=2048, Shared Subscription Available=0",
                capabilities.toString());
    }

    @Test
    void shouldTakeTheSpecDefaultsFromA311Connack() {
        ServerCapabilities capabilities = read(ProtocolVersion.MQTT_3_1_1,
                0x20, 0x02, // CONNACK, Remaining Length 2
                0x00, 0x00); // no Session Present, Return Code 0 accepted
        assertEquals(2, capabilities.maximumQos());
        assertTrue(capabilities.wildcardSubscriptionAvailable());
        assertTrue(capabilities.sharedSubscriptionAvailable());
        assertTrue(capabilities.subscriptionIdentifiersAvailable());
        assertEquals(FixedHeader.MAX_PACKET_SIZE, capabilities.maximumPacketSize());
        assertEquals(65_535, capabilities.receiveMaximum());
        assertEquals(0, capabilities.topicAliasMaximum());
        assertEquals("none announced", capabilities.toString());
    }
}
