package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.AckCodecTest.Packets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReasonCodecTest {
    /** Spec 3.14.2.1: the codes DISCONNECT may carry. */
    static final int[] DISCONNECT_CODES = {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F,
        0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
    /** Spec 3.15.2.1: the codes AUTH may carry. */
    static final int[] AUTH_CODES = {0x00, 0x18, 0x19};

    /** DISCONNECT with Will Message, Session Expiry 3600, User Property k=v: hand-worked, also checked against Paho. */
    static final byte[] DISCONNECT_WITH_PROPERTIES = Packets.of(
            0xE0, // DISCONNECT
            0x0E, // Remaining Length = 1 (code) + 1 (Property Length) + 12 = 14
            0x04, // Disconnect with Will Message
            0x0C, // Property Length = 5 + 7 = 12
            0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval 3600 = 0x0E10: 1 + 4 = 5
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); // User Property: 1 + (2 + 1) + (2 + 1) = 7
    /** AUTH Continue authentication with all four AUTH properties: hand-worked, also checked against Paho. */
    static final byte[] AUTH_WITH_PROPERTIES = Packets.of(
            0xF0, // AUTH, flags 0000
            0x22, // Remaining Length = 1 (code) + 1 (Property Length) + 32 = 34
            0x18, // Continue authentication
            0x20, // Property Length = 14 + 6 + 5 + 7 = 32
            0x15, 0x00, 0x0B, 'S', 'C', 'R', 'A', 'M', '-', 'S', 'H', 'A', '-', '1', // Method: 1 + 2 + 11 = 14
            0x16, 0x00, 0x03, 0x01, 0x02, 0x03, // Authentication Data: 1 + 2 + 3 = 6
            0x1F, 0x00, 0x02, 'g', 'o', // Reason String: 1 + 2 + 2 = 5
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); // User Property: 7

    private final ReasonView view = new ReasonView();

    @Test
    void shouldEncodeNormalDisconnectionWithRemainingLengthZero() {
        assertArrayEquals(Packets.of(
                0xE0, // DISCONNECT, flags 0000
                0x00), // Remaining Length 0: Normal disconnection, no properties (spec 3.14.2.1)
                reason(PacketType.DISCONNECT, MQTT_5, 0x00, new MqttProperties()));
        assertArrayEquals(Packets.of(0xE0, 0x00), reason(PacketType.DISCONNECT, MQTT_3_1_1, 0x00, null));
    }

    @Test
    void shouldEncodeDisconnectReasonCodeAlone() {
        assertArrayEquals(Packets.of(
                0xE0, // DISCONNECT
                0x01, // Remaining Length = 1 (reason code, no Property Length)
                0x8E), // Session taken over
                reason(PacketType.DISCONNECT, MQTT_5, 0x8E, null));
    }

    @Test
    void shouldEncodeClientDisconnectWithSessionExpiryAndUserProperty() {
        MqttProperties properties = new MqttProperties().put(Property.SESSION_EXPIRY_INTERVAL, 3600)
                .addUserProperty("k", "v");
        assertArrayEquals(DISCONNECT_WITH_PROPERTIES, reason(PacketType.DISCONNECT, MQTT_5, 0x04, properties));
    }

    @Test
    void shouldEncodeServerDisconnectWithServerReferenceAndReasonString() {
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "bye")
                .string(Property.SERVER_REFERENCE, "b:1");
        assertArrayEquals(Packets.of(
                0xE0, // DISCONNECT
                0x0E, // Remaining Length = 1 (code) + 1 (Property Length) + 12 = 14
                0x9C, // Use another server
                0x0C, // Property Length = 6 + 6 = 12
                0x1C, 0x00, 0x03, 'b', ':', '1', // Server Reference (0x1C before 0x1F): 1 + 2 + 3 = 6
                0x1F, 0x00, 0x03, 'b', 'y', 'e'), // Reason String: 1 + 2 + 3 = 6
                reason(PacketType.DISCONNECT, MQTT_5, 0x9C, properties));
    }

    @Test
    void shouldEncodeAuthWithEveryProperty() {
        assertArrayEquals(AUTH_WITH_PROPERTIES, reason(PacketType.AUTH, MQTT_5, 0x18, authProperties()));
    }

    @Test
    void shouldEncodeBareSuccessAuthWithRemainingLengthZero() {
        assertArrayEquals(Packets.of(
                0xF0, // AUTH
                0x00), // Remaining Length 0: Success, no properties (spec 3.15.2.1)
                reason(PacketType.AUTH, MQTT_5, 0x00, null));
    }

    static Stream<Arguments> cases() {
        MqttProperties all = new MqttProperties().put(Property.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .string(Property.SERVER_REFERENCE, "other:1883").string(Property.REASON_STRING, "\u00fcber")
                .addUserProperty("a", "1").addUserProperty("b", "\uD83D\uDE00");
        return Stream.of(
                Arguments.of(PacketType.DISCONNECT, MQTT_3_1_1, 0x00, null),
                Arguments.of(PacketType.DISCONNECT, MQTT_5, 0x00, null),
                Arguments.of(PacketType.DISCONNECT, MQTT_5, 0x8B, null),
                Arguments.of(PacketType.DISCONNECT, MQTT_5, 0x00, all),
                Arguments.of(PacketType.DISCONNECT, MQTT_5, 0x9D, all),
                Arguments.of(PacketType.AUTH, MQTT_5, 0x00, null),
                Arguments.of(PacketType.AUTH, MQTT_5, 0x00, authProperties()),
                Arguments.of(PacketType.AUTH, MQTT_5, 0x19, authProperties()),
                Arguments.of(PacketType.AUTH, MQTT_5, 0x18,
                        new MqttProperties().string(Property.AUTHENTICATION_METHOD, "PLAIN")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldRoundTripByteIdentical(int type, ProtocolVersion version, int code, MqttProperties properties) {
        byte[] first = reason(type, version, code, properties);
        Packets.decode(view::wrap, version, first);
        assertEquals(type, view.type());
        assertEquals(code, view.reasonCode());
        assertArrayEquals(first, reason(type, version, code, new MqttProperties().copyFrom(view.properties())));
    }

    @Test
    void shouldExposeEveryDisconnectAndAuthProperty() {
        Packets.decode(view::wrap, MQTT_5, reason(PacketType.AUTH, MQTT_5, 0x19, authProperties()));
        PropertiesView properties = view.properties();
        assertEquals("SCRAM-SHA-1", properties.string(Property.AUTHENTICATION_METHOD).toString());
        assertTrue(properties.binary(Property.AUTHENTICATION_DATA).contentEquals(new byte[] {1, 2, 3}));
        assertEquals("go", properties.string(Property.REASON_STRING).toString());
        assertEquals("k", properties.userPropertyKey(0).toString());
        Packets.decode(view::wrap, MQTT_5, reason(PacketType.DISCONNECT, MQTT_5, 0x00, new MqttProperties()
                .put(Property.SESSION_EXPIRY_INTERVAL, 7).string(Property.SERVER_REFERENCE, "s")));
        assertEquals(7, view.properties().number(Property.SESSION_EXPIRY_INTERVAL, -1));
        assertEquals("s", view.properties().string(Property.SERVER_REFERENCE).toString());
        assertFalse(view.properties().has(Property.AUTHENTICATION_METHOD));
    }

    @Test
    void shouldDecodeEveryShortForm() {
        Packets.decode(view::wrap, MQTT_5, 0xE0, 0x00); // Remaining Length 0: Normal disconnection
        assertEquals(0x00, view.reasonCode());
        assertEquals(0, view.properties().presentMask());
        Packets.decode(view::wrap, MQTT_5, 0xE0, 0x01, 0x8D); // code alone: Keep Alive timeout
        assertEquals(0x8D, view.reasonCode());
        Packets.decode(view::wrap, MQTT_5, 0xE0, 0x02, 0x00, 0x00); // code and an empty property section
        assertEquals(0x00, view.reasonCode());
        assertArrayEquals(Packets.of(0xE0, 0x00), reason(PacketType.DISCONNECT, MQTT_5, 0x00, null)); // canonical
        Packets.decode(view::wrap, MQTT_5, 0xF0, 0x00); // bare AUTH: Success
        assertEquals(PacketType.AUTH, view.type());
        assertEquals(0x00, view.reasonCode());
        Packets.decode(view::wrap, MQTT_3_1_1, 0xE0, 0x00);
        assertEquals(PacketType.DISCONNECT, view.type());
    }

    @ParameterizedTest
    @ValueSource(ints = {PacketType.DISCONNECT, PacketType.AUTH})
    void shouldAcceptEveryValidReasonCodeAndRejectEveryOther(int type) {
        int[] valid = type == PacketType.DISCONNECT ? DISCONNECT_CODES : AUTH_CODES;
        MqttProperties method = new MqttProperties().string(Property.AUTHENTICATION_METHOD, "M");
        MqttProperties properties = type == PacketType.AUTH ? method : null;
        int accepted = 0;
        for (int code = 0; code <= 0xFF; code++) {
            byte[] packet = type == PacketType.DISCONNECT
                    ? Packets.of(0xE0, 0x01, code) // Remaining Length 1: the code alone
                    // Remaining Length = 1 (code) + 1 (Property Length) + 4 (method: 1 + 2 + 1)
                    : Packets.of(0xF0, 0x06, code, 0x04, 0x15, 0x00, 0x01, 'M');
            final int c = code;
            if (Arrays.stream(valid).anyMatch(v -> v == c)) {
                Packets.decode(view::wrap, MQTT_5, packet);
                assertEquals(code, view.reasonCode());
                if (code != 0x00 || properties != null) { // a DISCONNECT 0x00 alone has Remaining Length 0
                    assertArrayEquals(packet, reason(type, MQTT_5, code, properties));
                }
                accepted++;
            } else {
                assertEquals(0x81, assertThrows(MqttCodecException.class,
                        () -> Packets.decode(view::wrap, MQTT_5, packet)).reasonCode());
                assertThrows(IllegalArgumentException.class, () -> reason(type, MQTT_5, c, properties));
            }
        }
        assertEquals(valid.length, accepted);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                row("DISCONNECT with flags 0001", MQTT_5, 0x81, 0xE1, 0x00),
                row("AUTH with flags 0001", MQTT_5, 0x81, 0xF1, 0x00),
                row("DISCONNECT with an AUTH code", MQTT_5, 0x81, 0xE0, 0x01, 0x18),
                row("AUTH with a DISCONNECT code", MQTT_5, 0x81, 0xF0, 0x01, 0x04),
                row("properties past the end", MQTT_5, 0x81, 0xE0, 0x02, 0x00, 0x05),
                row("byte left over after properties", MQTT_5, 0x81, 0xE0, 0x03, 0x00, 0x00, 0x00),
                // Authentication Method (1 + 2 + 1 = 4 bytes) belongs to CONNECT, CONNACK and AUTH
                row("Authentication Method on DISCONNECT", MQTT_5, 0x81,
                        0xE0, 0x06, 0x00, 0x04, 0x15, 0x00, 0x01, 'M'),
                // Server Reference (4 bytes) after the method (4 bytes): Property Length 8, Remaining Length 10
                row("Server Reference on AUTH", MQTT_5, 0x81,
                        0xF0, 0x0A, 0x18, 0x08, 0x15, 0x00, 0x01, 'M', 0x1C, 0x00, 0x01, 's'),
                row("Session Expiry Interval truncated", MQTT_5, 0x81, 0xE0, 0x05, 0x00, 0x03, 0x11, 0x00, 0x00),
                // Two Session Expiry Intervals of 5 bytes: Property Length 10, Remaining Length 12
                row("duplicate Session Expiry Interval", MQTT_5, 0x82, 0xE0, 0x0C, 0x00, 0x0A,
                        0x11, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x02),
                row("duplicate Authentication Data", MQTT_5, 0x82, 0xF0, 0x0C, 0x18, 0x0A,
                        0x15, 0x00, 0x01, 'M', 0x16, 0x00, 0x00, 0x16, 0x00, 0x00),
                row("Server Reference not UTF-8", MQTT_5, 0x81, 0xE0, 0x06, 0x9C, 0x04, 0x1C, 0x00, 0x01, 0xC0),
                row("AUTH code without Authentication Method", MQTT_5, 0x82, 0xF0, 0x01, 0x18),
                row("AUTH Success written out without method", MQTT_5, 0x82, 0xF0, 0x01, 0x00),
                row("AUTH properties without method", MQTT_5, 0x82, 0xF0, 0x05, 0x19, 0x03, 0x16, 0x00, 0x00),
                row("AUTH on 3.1.1", MQTT_3_1_1, 0x81, 0xF0, 0x00),
                row("3.1.1 DISCONNECT with a reason code", MQTT_3_1_1, 0x81, 0xE0, 0x01, 0x00),
                row("3.1.1 DISCONNECT with flags 0010", MQTT_3_1_1, 0x81, 0xE2, 0x00));
    }

    private static Arguments row(String name, ProtocolVersion version, int reasonCode, int... bytes) {
        return Arguments.of(name, version, reasonCode, Packets.of(bytes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedPacket(String name, ProtocolVersion version, int reasonCode, byte[] packet) {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> Packets.decode(view::wrap, version, packet));
        assertEquals(reasonCode, e.reasonCode(), e.getMessage());
    }

    @Test
    void shouldNameAuthAsNotAnMqtt311Packet() {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> Packets.decode(view::wrap, MQTT_3_1_1, 0xF0, 0x00));
        assertTrue(e.getMessage().contains("AUTH is not an MQTT 3.1.1 packet"), e.getMessage());
    }

    @Test
    void shouldRefuseWhatNoPeerMayReceive() {
        MqttProperties reasonString = new MqttProperties().string(Property.REASON_STRING, "r");
        assertIllegal(PacketType.AUTH, MQTT_3_1_1, 0x00, null);
        assertIllegal(PacketType.DISCONNECT, MQTT_3_1_1, 0x04, null);
        assertIllegal(PacketType.DISCONNECT, MQTT_3_1_1, 0x00, reasonString);
        assertIllegal(PacketType.AUTH, MQTT_5, 0x04, authProperties());
        assertIllegal(PacketType.DISCONNECT, MQTT_5, 0x18, null);
        assertIllegal(PacketType.AUTH, MQTT_5, 0x18, null); // needs an Authentication Method
        assertIllegal(PacketType.AUTH, MQTT_5, 0x00, reasonString); // needs an Authentication Method
        assertIllegal(PacketType.AUTH, MQTT_5, 0x18, authProperties().put(Property.SESSION_EXPIRY_INTERVAL, 1));
        assertIllegal(PacketType.DISCONNECT, MQTT_5, 0x00, authProperties());
        assertIllegal(PacketType.PUBACK, MQTT_5, 0x00, null);
        assertThrows(IllegalArgumentException.class,
                () -> view.wrap(PacketType.CONNACK, ByteBuffer.allocate(2), 0, 0, 0, MQTT_5));
    }

    @Test
    void shouldLeaveTooSmallBufferUntouched() {
        ByteBuffer dst = ByteBuffer.allocate(2).put((byte) 0x5A);
        assertEquals(-1, ReasonEncoder.encode(dst, PacketType.DISCONNECT, MQTT_5, 0x00, null)); // needs 2 bytes
        assertEquals(1, dst.position());
        assertArrayEquals(new byte[] {0x5A, 0}, dst.array());
    }

    private static void assertIllegal(int type, ProtocolVersion version, int code, MqttProperties properties) {
        assertThrows(IllegalArgumentException.class,
                () -> ReasonEncoder.encodedLength(type, version, code, properties));
        assertThrows(IllegalArgumentException.class,
                () -> ReasonEncoder.encode(ByteBuffer.allocate(256), type, version, code, properties));
    }

    private static MqttProperties authProperties() {
        return new MqttProperties().string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-1")
                .put(Property.AUTHENTICATION_DATA, new byte[] {1, 2, 3}).string(Property.REASON_STRING, "go")
                .addUserProperty("k", "v");
    }

    /** Encodes at a non-zero position of a buffer and checks the length promised matches the bytes written. */
    static byte[] reason(int type, ProtocolVersion version, int code, MqttProperties properties) {
        int length = ReasonEncoder.encodedLength(type, version, code, properties);
        ByteBuffer dst = ByteBuffer.allocate(Packets.PREFIX + length + 1).position(Packets.PREFIX);
        assertEquals(length, ReasonEncoder.encode(dst, type, version, code, properties));
        assertEquals(Packets.PREFIX + length, dst.position());
        return Arrays.copyOfRange(dst.array(), Packets.PREFIX, Packets.PREFIX + length);
    }
}
