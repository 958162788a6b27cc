package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static io.pipit.mqtt.codec.CodecTestSupport.assertSameProperties;
import static io.pipit.mqtt.codec.CodecTestSupport.dispatch;
import static io.pipit.mqtt.codec.CodecTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnackCodecTest {
    private final ConnackView view = new ConnackView();

    @Test
    void shouldRoundTripMqtt5ConnackWithEveryProperty() {
        MqttProperties properties = everyConnackProperty();
        byte[] first = encode(MQTT_5, true, ReasonCode.SUCCESS, properties);
        wrap(first, MQTT_5);
        assertTrue(view.sessionPresent());
        assertEquals(ReasonCode.SUCCESS, view.reasonCode());
        assertSameProperties(properties, view.properties());
        byte[] again = encode(MQTT_5, view.sessionPresent(), view.reasonCode(),
                new MqttProperties().copyFrom(view.properties()));
        assertArrayEquals(first, again);
    }

    @Test
    void shouldRoundTripMqtt5Refusal() {
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "banned until 12:00")
                .string(Property.SERVER_REFERENCE, "other.example:1883");
        byte[] first = encode(MQTT_5, false, ReasonCode.USE_ANOTHER_SERVER, properties);
        wrap(first, MQTT_5);
        assertFalse(view.sessionPresent());
        assertEquals(ReasonCode.USE_ANOTHER_SERVER, view.reasonCode());
        assertSameProperties(properties, view.properties());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void shouldRoundTripEveryMqtt311ReturnCode(int returnCode) {
        byte[] first = encode(MQTT_3_1_1, returnCode == 0, returnCode, null);
        assertArrayEquals(new byte[] {
            0x20, // CONNACK
            0x02, // Remaining Length 2
            (byte) (returnCode == 0 ? 0x01 : 0x00), // Connect Acknowledge Flags: Session Present when accepted
            (byte) returnCode, // Return Code
        }, first);
        wrap(first, MQTT_3_1_1);
        assertEquals(returnCode == 0, view.sessionPresent());
        assertEquals(returnCode, view.reasonCode());
        assertEquals(0, view.properties().presentMask());
    }

    @Test
    void shouldEncodeMinimalMqtt5ConnackAsHandWorkedBytes() {
        assertArrayEquals(new byte[] {
            0x20, // CONNACK
            0x03, // Remaining Length 3 = 1 (flags) + 1 (Reason Code) + 1 (Property Length)
            0x00, // Connect Acknowledge Flags: no session
            0x00, // Reason Code 0x00 Success
            0x00, // Property Length 0
        }, encode(MQTT_5, false, ReasonCode.SUCCESS, null));
    }

    @Test
    void shouldEncodeMqtt5ConnackWithPropertiesAsHandWorkedBytes() {
        MqttProperties properties = new MqttProperties().put(Property.RECEIVE_MAXIMUM, 10)
                .string(Property.ASSIGNED_CLIENT_IDENTIFIER, "a");
        assertEquals(12, ConnackEncoder.encodedLength(MQTT_5, properties));
        assertArrayEquals(new byte[] {
            0x20, // CONNACK
            0x0A, // Remaining Length 10 = 1 + 1 + 1 (Property Length) + 7 (properties)
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code 0x00 Success
            0x07, // Property Length 7 = 4 (Assigned Client Identifier) + 3 (Receive Maximum)
            0x12, 0x00, 0x01, 'a', // Assigned Client Identifier "a" (0x12 comes before 0x21)
            0x21, 0x00, 0x0A, // Receive Maximum 10
        }, encode(MQTT_5, false, ReasonCode.SUCCESS, properties));
    }

    @Test
    void shouldLeaveDestinationUntouchedWhenItIsTooSmall() {
        ByteBuffer dst = ByteBuffer.allocate(ConnackEncoder.encodedLength(MQTT_5, everyConnackProperty()) - 1);
        assertEquals(-1, ConnackEncoder.encode(dst, MQTT_5, false, 0, everyConnackProperty()));
        assertEquals(0, dst.position());
    }

    @Test
    void shouldRejectFixedHeaderFlags() {
        byte[] packet = {
            0x21, // CONNACK with flags 0b0001
            0x02, // Remaining Length 2
            0x00, // Connect Acknowledge Flags
            0x00, // Return Code 0
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_3_1_1));
    }

    @ParameterizedTest(name = "Connect Acknowledge Flags {0}")
    @ValueSource(ints = {0x02, 0x80, 0xFF, 0xFE})
    void shouldRejectReservedAcknowledgeFlags(int ackFlags) {
        byte[] packet = {
            0x20, // CONNACK
            0x03, // Remaining Length 3
            (byte) ackFlags, // Connect Acknowledge Flags with a reserved bit (7-1) set
            0x00, // Reason Code Success
            0x00, // Property Length 0
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_5));
    }

    @ParameterizedTest(name = "5.0 Reason Code {0}")
    @ValueSource(ints = {0x01, 0x04, 0x8B, 0x8E, 0xFF})
    void shouldRejectReasonCodeNotDefinedForConnack(int code) {
        byte[] packet = {
            0x20, // CONNACK
            0x03, // Remaining Length 3
            0x00, // Connect Acknowledge Flags
            (byte) code, // Reason Code that CONNACK may not carry
            0x00, // Property Length 0
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_5));
    }

    @ParameterizedTest(name = "3.1.1 Return Code {0}")
    @ValueSource(ints = {0x06, 0x80, 0x87})
    void shouldRejectReturnCodeNotDefinedIn311(int code) {
        byte[] packet = {
            0x20, // CONNACK
            0x02, // Remaining Length 2
            0x00, // Connect Acknowledge Flags
            (byte) code, // Return Code beyond 0..5
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_3_1_1));
    }

    @Test
    void shouldRejectSessionPresentWithRefusalIn5() {
        byte[] packet = {
            0x20, // CONNACK
            0x03, // Remaining Length 3
            0x01, // Connect Acknowledge Flags: Session Present
            (byte) 0x87, // Reason Code 0x87 Not authorized
            0x00, // Property Length 0
        };
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRejectSessionPresentWithRefusalIn311() {
        byte[] packet = {
            0x20, // CONNACK
            0x02, // Remaining Length 2
            0x01, // Connect Acknowledge Flags: Session Present
            0x05, // Return Code 5 Not authorized
        };
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, MQTT_3_1_1));
    }

    @ParameterizedTest(name = "{0} with Remaining Length {1}")
    @CsvSource({"MQTT_3_1_1, 0", "MQTT_3_1_1, 1", "MQTT_5, 0", "MQTT_5, 1", "MQTT_5, 2"})
    void shouldRejectTruncatedConnack(ProtocolVersion version, int remainingLength) {
        byte[] full = {
            0x20, // CONNACK
            (byte) remainingLength, // Remaining Length: fewer than the 2 (3.1.1) or 3 (5.0) bytes needed
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x00, // Property Length
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(Arrays.copyOf(full, 2 + remainingLength), version));
    }

    @Test
    void shouldRejectPropertyRunningPastThePacket() {
        byte[] packet = {
            0x20, // CONNACK
            0x05, // Remaining Length 5
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x03, // Property Length 3, but only 2 bytes follow
            0x21, 0x00, // Receive Maximum, cut short
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRejectBytesAfterThe311ReturnCode() {
        byte[] packet = {
            0x20, // CONNACK
            0x03, // Remaining Length 3 = 2 + 1 stray byte
            0x00, // Connect Acknowledge Flags
            0x00, // Return Code 0
            0x00, // 3.1.1 has no Property Length: nothing announced this byte
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_3_1_1));
    }

    @Test
    void shouldRejectBytesAfterThe5Properties() {
        byte[] packet = {
            0x20, // CONNACK
            0x04, // Remaining Length 4 = 3 + 1 stray byte
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x00, // Property Length 0
            0x25, // nothing announced this byte
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRejectPropertyNotAllowedInConnack() {
        byte[] packet = {
            0x20, // CONNACK
            0x08, // Remaining Length 8 = 3 + 5
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x05, // Property Length 5
            0x18, 0x00, 0x00, 0x00, 0x01, // Will Delay Interval 1: a Will property
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRejectDuplicateConnackProperty() {
        byte[] packet = {
            0x20, // CONNACK
            0x07, // Remaining Length 7 = 3 + 4
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x04, // Property Length 4
            0x25, 0x01, // Retain Available 1
            0x25, 0x00, // Retain Available 0: a second one
        };
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRejectMaximumQos2() {
        byte[] packet = {
            0x20, // CONNACK
            0x05, // Remaining Length 5 = 3 + 2
            0x00, // Connect Acknowledge Flags
            0x00, // Reason Code
            0x02, // Property Length 2
            0x24, 0x02, // Maximum QoS 2: only 0 or 1 may be sent
        };
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, MQTT_5));
    }

    @Test
    void shouldRefuseConnacksNoPeerMayReceive() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encode(dst, MQTT_5, false, 0x01, null));
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encode(dst, MQTT_3_1_1, false, 0x80, null));
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encode(dst, MQTT_5, true, 0x80, null));
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encode(dst, MQTT_3_1_1, true, 0x04, null));
        MqttProperties receiveMaximum = new MqttProperties().put(Property.RECEIVE_MAXIMUM, 1);
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encodedLength(MQTT_3_1_1, receiveMaximum));
        MqttProperties topicAlias = new MqttProperties().put(Property.TOPIC_ALIAS, 1);
        assertThrows(IllegalArgumentException.class, () -> ConnackEncoder.encode(dst, MQTT_5, false, 0, topicAlias));
        assertEquals(0, dst.position());
    }

    static MqttProperties everyConnackProperty() {
        return new MqttProperties().put(Property.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .put(Property.RECEIVE_MAXIMUM, 100).put(Property.MAXIMUM_QOS, 1).put(Property.RETAIN_AVAILABLE, 0)
                .put(Property.MAXIMUM_PACKET_SIZE, 65_536).string(Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-7f3a")
                .put(Property.TOPIC_ALIAS_MAXIMUM, 16).string(Property.REASON_STRING, "welcome")
                .addUserProperty("node", "b-2").addUserProperty("zone", "eu-west").addUserProperty("node", "b-3")
                .put(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1).put(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)
                .put(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1).put(Property.SERVER_KEEP_ALIVE, 120)
                .string(Property.RESPONSE_INFORMATION, "replies/auto-7f3a")
                .string(Property.SERVER_REFERENCE, "backup.example:8883")
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .put(Property.AUTHENTICATION_DATA, utf8("r=fyko+d2lbbFgONRv9qkxdawL"));
    }

    static byte[] encode(ProtocolVersion version, boolean sessionPresent, int code, MqttProperties properties) {
        ByteBuffer dst = ByteBuffer.allocate(ConnackEncoder.encodedLength(version, properties));
        assertEquals(dst.capacity(), ConnackEncoder.encode(dst, version, sessionPresent, code, properties));
        return dst.array();
    }

    private void wrap(byte[] packet, ProtocolVersion version) {
        dispatch(packet, version, view::wrap);
    }

    private int reasonCode(byte[] packet, ProtocolVersion version) {
        return assertThrows(MqttCodecException.class, () -> wrap(packet, version)).reasonCode();
    }
}
