package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static io.pipit.mqtt.codec.PacketType.SUBACK;
import static io.pipit.mqtt.codec.PacketType.UNSUBACK;
import static io.pipit.mqtt.codec.SubscribeCodecTest.bytes;
import static io.pipit.mqtt.codec.SubscribeCodecTest.decode;
import static io.pipit.mqtt.codec.SubscribeCodecTest.reason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubackCodecTest {
    private final SubackView view = new SubackView();

    static Stream<Arguments> everyCode() {
        return Stream.of(
                Arguments.of(SUBACK, MQTT_5, new int[] {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E,
                        0xA1, 0xA2}),
                Arguments.of(UNSUBACK, MQTT_5, new int[] {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91}),
                Arguments.of(SUBACK, MQTT_3_1_1, new int[] {0x00, 0x01, 0x02, 0x80}),
                Arguments.of(UNSUBACK, MQTT_3_1_1, new int[0]));
    }

    @ParameterizedTest
    @MethodSource("everyCode")
    void shouldRoundTripEveryValidCodeWithEveryProperty(int type, ProtocolVersion version, int[] codes) {
        MqttProperties properties = null;
        if (version.isMqtt5()) {
            properties = new MqttProperties().string(Property.REASON_STRING, "why: ünïcödé")
                    .addUserProperty("k", "v").addUserProperty("k", "w").addUserProperty("", "");
        }
        byte[] wire = encode(type, version, 0xFFFF, properties, codes);
        decode(view::wrap, version, wire);
        assertEquals(type, view.type());
        assertEquals(0xFFFF, view.packetId());
        assertEquals(codes.length, view.reasonCodeCount());
        int[] decoded = new int[view.reasonCodeCount()];
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = view.reasonCode(i);
        }
        assertArrayEquals(codes, decoded);
        MqttProperties copied = version.isMqtt5() ? new MqttProperties().copyFrom(view.properties()) : null;
        assertEquals(version.isMqtt5() ? 3 : 0, view.properties().userPropertyCount());
        assertArrayEquals(wire, encode(type, version, view.packetId(), copied, decoded));
    }

    @Test
    void shouldReturnMinusOneAndLeaveBufferUntouchedWhenTooSmall() {
        byte[] codes = {0x00, 0x01, 0x02};
        int length = SubackEncoder.encodedLength(SUBACK, MQTT_5, null, 3);
        assertEquals(2 + 2 + 1 + 3, length);  // fixed header 2, id 2, empty properties 1, codes 3
        ByteBuffer small = ByteBuffer.allocate(length - 1);
        assertEquals(-1, SubackEncoder.encode(small, SUBACK, MQTT_5, 1, null, codes, 0, 3));
        assertEquals(0, small.position());
    }

    @Test
    void shouldReadCodesInPlaceAndRefuseIndexesOutsideTheList() {
        decode(view::wrap, MQTT_5, bytes(0x90, 0x05, 0x00, 0x01, 0x00, 0x02, 0x80));
        assertEquals(0x80, view.buffer().get(view.reasonCodeOffset() + 1) & 0xFF);
        assertThrows(IndexOutOfBoundsException.class, () -> view.reasonCode(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> view.reasonCode(2));
    }

    @Test
    void shouldEncodeCodesFromTheMiddleOfAnArray() {
        byte[] codes = {0x7F, 0x00, 0x11, 0x7F};
        ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(7, SubackEncoder.encode(dst, UNSUBACK, MQTT_5, 3, null, codes, 1, 2));
        assertArrayEquals(bytes(0xB0, 0x05, 0x00, 0x03, 0x00, 0x00, 0x11), java.util.Arrays.copyOf(dst.array(), 7));
    }

    // ---- malformed input: one row per case, each with the reason code it must produce ----

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("flags 0b0010 on SUBACK", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x92, 0x04, 0x00, 0x01, 0x00, 0x00)),
                Arguments.of("flags 0b0001 on UNSUBACK", MQTT_3_1_1, ReasonCode.MALFORMED_PACKET, bytes(
                        0xB1, 0x02, 0x00, 0x01)),
                Arguments.of("truncated Packet Identifier", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x01, 0x00)),
                Arguments.of("Packet Identifier 0 in SUBACK", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x90, 0x04, 0x00, 0x00, 0x00, 0x00)),
                Arguments.of("Packet Identifier 0 in 3.1.1 UNSUBACK", MQTT_3_1_1, ReasonCode.PROTOCOL_ERROR, bytes(
                        0xB0, 0x02, 0x00, 0x00)),
                Arguments.of("SUBACK without codes (5.0)", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x90, 0x03, 0x00, 0x01, 0x00)),           // id, empty properties, no code
                Arguments.of("SUBACK without codes (3.1.1)", MQTT_3_1_1, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x90, 0x02, 0x00, 0x01)),
                Arguments.of("UNSUBACK without codes (5.0)", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0xB0, 0x03, 0x00, 0x01, 0x00)),
                Arguments.of("3.1.1 UNSUBACK with a payload", MQTT_3_1_1, ReasonCode.MALFORMED_PACKET, bytes(
                        0xB0, 0x03, 0x00, 0x01, 0x00)),           // Remaining Length must be exactly 2
                Arguments.of("0x03 in a 5.0 SUBACK", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x04, 0x00, 0x01, 0x00, 0x03)),
                Arguments.of("0x11 in a 5.0 SUBACK", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x05, 0x00, 0x01, 0x00, 0x00, 0x11)),  // a good code first, then a bad one
                Arguments.of("0x01 in a 5.0 UNSUBACK", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0xB0, 0x04, 0x00, 0x01, 0x00, 0x01)),
                Arguments.of("0x8F in a 3.1.1 SUBACK", MQTT_3_1_1, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x03, 0x00, 0x01, 0x8F)),
                Arguments.of("0x03 in a 3.1.1 SUBACK", MQTT_3_1_1, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x03, 0x00, 0x01, 0x03)),
                Arguments.of("Subscription Identifier in SUBACK", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x06, 0x00, 0x01,
                        0x02, 0x0B, 0x01,                          // Subscription Identifier 1
                        0x00)),
                Arguments.of("Reason String twice in UNSUBACK", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0xB0, 0x0C, 0x00, 0x01,                    // 2 id + 9 properties + 1 code = 12
                        0x08, 0x1F, 0x00, 0x01, 'a', 0x1F, 0x00, 0x01, 'b',
                        0x00)),
                Arguments.of("Reason String not UTF-8", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x08, 0x00, 0x01,                    // 2 id + 5 properties + 1 code = 8
                        0x04, 0x1F, 0x00, 0x01, 0xFF,              // 0xFF never appears in UTF-8
                        0x00)),
                Arguments.of("properties longer than the packet", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x90, 0x04, 0x00, 0x01, 0x05, 0x1F)));     // says 5 bytes, 1 left
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedPacket(String problem, ProtocolVersion version, int reasonCode, byte[] wire) {
        assertEquals(reasonCode, reason(() -> decode(view::wrap, version, wire)), problem);
    }

    @Test
    void shouldRejectPacketRunningPastTheBuffer() {
        ByteBuffer buf = ByteBuffer.wrap(bytes(0x90, 0x04, 0x00, 0x01, 0x00));  // the code is missing
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> view.wrap(SUBACK, buf, 0, 2, 4, MQTT_5)));
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> view.wrap(SUBACK, buf, 0, -1, 4, MQTT_5)));
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> view.wrap(SUBACK, buf, 0, 2, -1, MQTT_5)));
    }

    @Test
    void shouldRefuseToDecodeOtherPacketTypes() {
        ByteBuffer buf = ByteBuffer.allocate(8);
        assertThrows(IllegalArgumentException.class, () -> view.wrap(PacketType.PUBACK, buf, 0, 0, 3, MQTT_5));
    }

    // ---- encoder misuse ----

    @Test
    void shouldRefuseCodesThePacketMayNotCarry() {
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_5, 1, null, 0x11));
        assertThrows(IllegalArgumentException.class, () -> encode(UNSUBACK, MQTT_5, 1, null, 0x01));
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_3_1_1, 1, null, 0x8F));
        assertThrows(IllegalArgumentException.class, () -> encode(UNSUBACK, MQTT_3_1_1, 1, null, 0x00));
    }

    @Test
    void shouldRefuseEmptyCodeLists() {
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_5, 1, null));
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_3_1_1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> encode(UNSUBACK, MQTT_5, 1, null));
    }

    @Test
    void shouldRefuseBadArguments() {
        ByteBuffer dst = ByteBuffer.allocate(64);
        byte[] one = {0x00};
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_5, 0, null, 0x00));
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_5, 65536, null, 0x00));
        assertThrows(IllegalArgumentException.class, () -> SubackEncoder.encode(dst, PacketType.PUBACK, MQTT_5, 1,
                null, one, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SubackEncoder.encode(dst, SUBACK, MQTT_5, 1, null, one,
                1, 1));
        assertThrows(IllegalArgumentException.class, () -> SubackEncoder.encode(dst, SUBACK, MQTT_5, 1, null, one,
                -1, 1));
        assertThrows(IllegalArgumentException.class, () -> SubackEncoder.encode(dst, SUBACK, MQTT_5, 1, null, null,
                0, 1));
        assertThrows(IllegalArgumentException.class, () -> SubackEncoder.encodedLength(SUBACK, MQTT_5, null,
                VarInt.MAX_VALUE));  // with the Packet Identifier and properties it no longer fits
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_3_1_1, 1,
                new MqttProperties().addUserProperty("k", "v"), 0x00));
        assertThrows(IllegalArgumentException.class, () -> encode(SUBACK, MQTT_5, 1,
                new MqttProperties().addSubscriptionIdentifier(1), 0x00));
        assertEquals(0, dst.position());
    }

    /** Encodes into a buffer of exactly the announced length; checks the count returned. */
    static byte[] encode(int type, ProtocolVersion version, int packetId, MqttProperties properties,
            int... codes) {
        byte[] raw = bytes(codes);
        ByteBuffer dst = ByteBuffer.allocate(SubackEncoder.encodedLength(type, version, properties, codes.length));
        assertEquals(dst.capacity(), SubackEncoder.encode(dst, type, version, packetId, properties, raw, 0,
                raw.length));
        assertEquals(dst.capacity(), dst.position());
        return dst.array();
    }
}
