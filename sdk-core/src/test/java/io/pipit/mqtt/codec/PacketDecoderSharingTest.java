package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The decoder's views share one property section and are made on first use: each packet's properties read
 * right, whichever view read the packet before, and views made after a packet was decoded still see it.
 */
class PacketDecoderSharingTest {
    private static final ByteBuffer CONNACK = CodecTestSupport.bytes(
            0x20, 13,                      // CONNACK, Remaining Length
            0x00, 0x00,                    // flags, Success
            10,                            // Property Length
            0x12, 0x00, 0x02, 'a', 'b',    // Assigned Client Identifier "ab"
            0x1F, 0x00, 0x02, 'o', 'k');   // Reason String "ok"
    private static final ByteBuffer PUBLISH = CodecTestSupport.bytes(
            0x30, 16,                      // PUBLISH QoS 0, Remaining Length
            0x00, 0x01, 't',               // Topic Name "t"
            11,                            // Property Length
            0x09, 0x00, 0x01, 0x07,        // Correlation Data {7}
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property k=v
            'p');                          // payload
    private static final ByteBuffer DISCONNECT = CodecTestSupport.bytes(
            0xE0, 7,                       // DISCONNECT, Remaining Length
            0x00,                          // Normal disconnection
            5,                             // Property Length
            0x1F, 0x00, 0x02, 'b', 'y');   // Reason String "by"
    private static final ByteBuffer PUBACK = CodecTestSupport.bytes(
            0x40, 2,                       // PUBACK, Remaining Length
            0x00, 0x05);                   // Packet Identifier 5, Success, no properties

    private final PacketDecoder decoder = new PacketDecoder(ProtocolVersion.MQTT_5, 1024);

    private void decode(ByteBuffer packet) {
        assertEquals(packet.limit(), decoder.decode(packet, 0, packet.limit()));
    }

    @Test
    void shouldReadEachPacketsOwnPropertiesThroughTheSharedSection() {
        decode(CONNACK);
        PropertiesView connack = decoder.connack().properties();
        assertEquals("ab", connack.string(Property.ASSIGNED_CLIENT_IDENTIFIER).toString());
        assertEquals("ok", connack.string(Property.REASON_STRING).toString());

        decode(PUBLISH);
        PropertiesView publish = decoder.publish().properties();
        assertSame(connack, publish);
        assertFalse(publish.has(Property.ASSIGNED_CLIENT_IDENTIFIER));
        assertFalse(publish.string(Property.REASON_STRING).isPresent());
        assertEquals(1, publish.binary(Property.CORRELATION_DATA).length());
        assertEquals(7, publish.binary(Property.CORRELATION_DATA).byteAt(0));
        assertEquals(1, publish.userPropertyCount());
        assertEquals("k", publish.userPropertyKey(0).toString());
        assertEquals("v", publish.userPropertyValue(0).toString());
        assertEquals("t", decoder.publish().topic().toString());

        decode(DISCONNECT);
        PropertiesView disconnect = decoder.reason().properties();
        assertEquals("by", disconnect.string(Property.REASON_STRING).toString(), "a view made earlier follows");
        assertFalse(disconnect.binary(Property.CORRELATION_DATA).isPresent());
        assertEquals(0, disconnect.userPropertyCount());

        decode(PUBACK);
        assertEquals(5, decoder.ack().packetId());
        assertEquals(0, decoder.ack().properties().presentMask());
    }

    @Test
    void shouldPointAViewMadeAfterTheDecodeAtThatPacket() {
        decode(CONNACK);
        decode(DISCONNECT);
        assertEquals("by", decoder.reason().properties().string(Property.REASON_STRING).toString());
        decode(CONNACK);
        assertEquals("ab", decoder.connack().properties().string(Property.ASSIGNED_CLIENT_IDENTIFIER).toString());
        assertEquals("ok", decoder.connack().properties().string(Property.REASON_STRING).toString());
    }

    @Test
    void shouldKeepWillPropertiesApartFromTheConnectProperties() {
        ConnectEncoder encoder = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("c")
                .will("w".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 1, false);
        encoder.properties().put(Property.SESSION_EXPIRY_INTERVAL, 30);
        encoder.willProperties().put(Property.WILL_DELAY_INTERVAL, 5);
        ByteBuffer connect = ByteBuffer.wrap(CodecTestSupport.encode(encoder));
        PacketDecoder server = new PacketDecoder(ProtocolVersion.MQTT_5, 1024);
        assertEquals(connect.limit(), server.decode(connect, 0, connect.limit()));
        ConnectView view = server.connect();
        assertNotSame(view.properties(), view.willProperties());
        assertEquals(30, view.properties().number(Property.SESSION_EXPIRY_INTERVAL, -1));
        assertFalse(view.properties().has(Property.WILL_DELAY_INTERVAL));
        assertEquals(5, view.willProperties().number(Property.WILL_DELAY_INTERVAL, -1));
        assertTrue(view.willTopic().isPresent());
    }

    @Test
    void shouldGiveEmptyWillPropertiesWithoutAWill() {
        ConnectEncoder encoder = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("c");
        ByteBuffer connect = ByteBuffer.wrap(CodecTestSupport.encode(encoder));
        assertEquals(connect.limit(), decoder.decode(connect, 0, connect.limit()));
        assertEquals(0, decoder.connect().willProperties().presentMask());
        assertFalse(decoder.connect().willTopic().isPresent());
    }
}
