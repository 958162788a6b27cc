package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.testing.PropertyCheck;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AckCodecTest {
    /** Spec 3.4.2.1 and 3.5.2.1: the codes PUBACK and PUBREC may carry. */
    static final int[] PUBACK_CODES = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
    /** Spec 3.6.2.1 and 3.7.2.1: the codes PUBREL and PUBCOMP may carry. */
    static final int[] PUBREL_CODES = {0x00, 0x92};
    /** PUBACK 7, Quota exceeded, Reason String "busy", User Property k=v: hand-worked, also checked against Paho. */
    static final byte[] PUBACK_WITH_PROPERTIES = Packets.of(
            0x40, // PUBACK
            0x12, // Remaining Length = 2 (id) + 1 (code) + 1 (Property Length) + 14 = 18
            0x00, 0x07, // Packet Identifier 7
            0x97, // Quota exceeded
            0x0E, // Property Length = 7 + 7 = 14
            0x1F, 0x00, 0x04, 'b', 'u', 's', 'y', // Reason String: 1 + 2 + 4 = 7
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); // User Property: 1 + (2 + 1) + (2 + 1) = 7
    private static final int[] TYPES = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP};

    private final AckView view = new AckView();

    @Test
    void shouldEncodeSuccessWithoutPropertiesAsPacketIdentifierOnly() {
        assertArrayEquals(Packets.of(
                0x40, // PUBACK, flags 0000
                0x02, // Remaining Length = 2 (Packet Identifier only)
                0x12, 0x34), // Packet Identifier 0x1234
                ack(PacketType.PUBACK, MQTT_5, 0x1234, 0x00, null));
    }

    @Test
    void shouldEncodePubRelWithFlags0010() {
        assertArrayEquals(Packets.of(
                0x62, // PUBREL, flags 0010 (spec 3.6.1)
                0x02, // Remaining Length = 2
                0x00, 0x01), // Packet Identifier 1
                ack(PacketType.PUBREL, MQTT_5, 1, 0x00, null));
    }

    @Test
    void shouldEncodeReasonCodeWithoutPropertiesInThreeBytes() {
        assertArrayEquals(Packets.of(
                0x50, // PUBREC
                0x03, // Remaining Length = 2 (Packet Identifier) + 1 (reason code)
                0xFF, 0xFF, // Packet Identifier 65535
                0x10), // No matching subscribers
                ack(PacketType.PUBREC, MQTT_5, 0xFFFF, 0x10, new MqttProperties()));
    }

    @Test
    void shouldEncodeReasonStringAndUserPropertiesInFullForm() {
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "busy")
                .addUserProperty("k", "v");
        assertArrayEquals(PUBACK_WITH_PROPERTIES, ack(PacketType.PUBACK, MQTT_5, 7, 0x97, properties));
    }

    @Test
    void shouldWriteSuccessCodeWhenPropertiesFollow() {
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "ok");
        assertArrayEquals(Packets.of(
                0x70, // PUBCOMP
                0x09, // Remaining Length = 2 (id) + 1 (code) + 1 (Property Length) + 5 = 9
                0x00, 0x02, // Packet Identifier 2
                0x00, // Success: present because properties follow it
                0x05, // Property Length
                0x1F, 0x00, 0x02, 'o', 'k'), // Reason String: 1 + 2 + 2 = 5
                ack(PacketType.PUBCOMP, MQTT_5, 2, 0x00, properties));
    }

    @Test
    void shouldUseTwoByteLengthsForLongReasonString() {
        MqttProperties properties = new MqttProperties().string(Property.REASON_STRING, "r".repeat(200));
        // Property Length = 1 + 2 + 200 = 203: 0xCB 0x01. Remaining = 2 + 1 + 2 + 203 = 208: 0xD0 0x01.
        assertEquals(1 + 2 + 208, AckEncoder.encodedLength(PacketType.PUBACK, MQTT_5, 0x80, properties));
        byte[] bytes = ack(PacketType.PUBACK, MQTT_5, 9, 0x80, properties);
        assertArrayEquals(Packets.of(0x40, 0xD0, 0x01, 0x00, 0x09, 0x80, 0xCB, 0x01, 0x1F, 0x00, 0xC8),
                Arrays.copyOf(bytes, 11));
        Packets.decode(view::wrap, MQTT_5, bytes);
        assertEquals(200, view.properties().string(Property.REASON_STRING).byteLength());
    }

    @ParameterizedTest
    @ValueSource(ints = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP})
    void shouldEncodeMqtt311AckAsPacketIdentifierOnly(int type) {
        assertArrayEquals(Packets.of(
                type << 4 | PacketType.requiredFlags(type), // type, flags 0010 for PUBREL, 0000 for the rest
                0x02, // Remaining Length = 2
                0x01, 0x02), // Packet Identifier 0x0102
                ack(type, MQTT_3_1_1, 0x0102, 0x00, new MqttProperties()));
        Packets.decode(view::wrap, MQTT_3_1_1, ack(type, MQTT_3_1_1, 0x0102, 0x00, null));
        assertEquals(type, view.type());
        assertEquals(0x0102, view.packetId());
        assertEquals(0x00, view.reasonCode());
        assertEquals(0, view.properties().presentMask());
    }

    static Stream<Arguments> typesAndVersions() {
        return Arrays.stream(TYPES).boxed().flatMap(t -> Stream.of(MQTT_5, MQTT_3_1_1).map(v -> Arguments.of(t, v)));
    }

    @ParameterizedTest
    @MethodSource("typesAndVersions")
    void shouldRoundTripEveryTypeInBothVersions(int type, ProtocolVersion version) {
        roundTrip(type, version, 0x4321, 0x00, null);
        if (version.isMqtt5()) {
            int failure = type == PacketType.PUBACK || type == PacketType.PUBREC ? 0x87 : 0x92;
            roundTrip(type, version, 1, failure, null);
            roundTrip(type, version, 2, failure, new MqttProperties().string(Property.REASON_STRING, "why")
                    .addUserProperty("a", "1").addUserProperty("a", "2").addUserProperty("\u00e9", "\uD83D\uDE00"));
            roundTrip(type, version, 3, 0x00, new MqttProperties().addUserProperty("only", "user"));
        }
    }

    /** Every type with every reason code it may carry: 9 + 9 + 2 + 2 = 22 pairs, too few to leave to chance. */
    static Stream<Arguments> typesAndValidCodes() {
        return Arrays.stream(TYPES).boxed().flatMap(type -> Arrays.stream(validCodes(type)).mapToObj(code ->
                Arguments.of(Named.of(PacketType.name(type), type), Named.of(String.format("0x%02X", code), code))));
    }

    /** What {@link #typesAndValidCodes} leaves to chance: a Reason String of up to 300 printable ASCII characters. */
    record AnyAck(int packetId, String reasonString, boolean withProperties) {
        /** 22 pairs x 50 = 1,100 random acks in all. */
        static final int RANDOM_TRIES_PER_PAIR = 50;
        static final String PRINTABLE_ASCII = PropertyCheck.chars(' ', '~');

        static AnyAck next(SplittableRandom random) {
            return new AnyAck(random.nextInt(1, 0x10000), PropertyCheck.string(random, PRINTABLE_ASCII, 300),
                    random.nextBoolean());
        }

        /** Each edge Packet Identifier without properties, and with each edge Reason String. */
        static List<AnyAck> edgeCases() {
            List<String> reasonStrings = List.of("", " ", "~", PRINTABLE_ASCII.repeat(4).substring(0, 300));
            List<AnyAck> edgeCases = new ArrayList<>();
            for (int packetId : PropertyCheck.edgeInts(1, 0xFFFF)) {
                edgeCases.add(new AnyAck(packetId, "", false));
                for (String reasonString : reasonStrings) {
                    edgeCases.add(new AnyAck(packetId, reasonString, true));
                }
            }
            return edgeCases;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndValidCodes")
    void shouldRoundTripAnyAck(int type, int code) {
        PropertyCheck.forAll("shouldRoundTripAnyAck " + PacketType.name(type) + String.format(" 0x%02X", code),
                AnyAck.edgeCases(), AnyAck.RANDOM_TRIES_PER_PAIR, AnyAck::next, ack -> {
                    MqttProperties properties = ack.withProperties()
                            ? new MqttProperties().string(Property.REASON_STRING, ack.reasonString())
                                    .addUserProperty(ack.reasonString(), "v")
                            : null;
                    roundTrip(type, MQTT_5, ack.packetId(), code, properties);
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP})
    void shouldAcceptEveryValidReasonCodeAndRejectEveryOther(int type) {
        int accepted = 0;
        for (int code = 0; code <= 0xFF; code++) {
            byte[] packet = Packets.of(
                    type << 4 | PacketType.requiredFlags(type),
                    0x03, // Remaining Length = 2 (id) + 1 (code)
                    0x00, 0x05, // Packet Identifier 5
                    code);
            if (isValid(type, code)) {
                Packets.decode(view::wrap, MQTT_5, packet);
                assertEquals(code, view.reasonCode());
                if (code != 0x00) { // 0x00 alone is encoded in the two-byte form instead
                    assertArrayEquals(packet, ack(type, MQTT_5, 5, code, null));
                }
                accepted++;
            } else {
                assertEquals(0x81, assertThrows(MqttCodecException.class,
                        () -> Packets.decode(view::wrap, MQTT_5, packet)).reasonCode());
                final int rejected = code;
                assertThrows(IllegalArgumentException.class, () -> ack(type, MQTT_5, 5, rejected, null));
            }
        }
        assertEquals(validCodes(type).length, accepted);
    }

    @Test
    void shouldDecodeEveryShortForm() {
        Packets.decode(view::wrap, MQTT_5, 0x50, 0x02, 0x00, 0x09); // PUBREC, id 9: Success, no properties
        assertEquals(PacketType.PUBREC, view.type());
        assertEquals(9, view.packetId());
        assertEquals(0x00, view.reasonCode());
        Packets.decode(view::wrap, MQTT_5, 0x62, 0x03, 0x00, 0x0A, 0x92); // PUBREL, id 10: code, no properties
        assertEquals(0x92, view.reasonCode());
        assertEquals(0, view.properties().presentMask());
        // PUBCOMP, id 11: Success written out, then an empty property section (legal, not canonical)
        Packets.decode(view::wrap, MQTT_5, 0x70, 0x04, 0x00, 0x0B, 0x00, 0x00);
        assertEquals(0x00, view.reasonCode());
        assertEquals(0, view.properties().sectionLength());
        assertArrayEquals(Packets.of(0x70, 0x02, 0x00, 0x0B), reencode(MQTT_5)); // re-encoded canonically
    }

    @Test
    void shouldForgetPropertiesOfThePreviousPacket() {
        Packets.decode(view::wrap, MQTT_5, ack(PacketType.PUBACK, MQTT_5, 1, 0x10,
                new MqttProperties().string(Property.REASON_STRING, "x")));
        assertTrue(view.properties().has(Property.REASON_STRING));
        Packets.decode(view::wrap, MQTT_5, 0x40, 0x02, 0x00, 0x02);
        assertFalse(view.properties().has(Property.REASON_STRING));
        assertEquals(0x00, view.reasonCode());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                row("empty PUBACK", MQTT_5, 0x81, 0x40, 0x00),
                row("one-byte Packet Identifier", MQTT_5, 0x81, 0x40, 0x01, 0x00),
                row("Packet Identifier 0", MQTT_5, 0x82, 0x40, 0x02, 0x00, 0x00),
                row("PUBREL without its 0010 flags", MQTT_5, 0x81, 0x60, 0x02, 0x00, 0x01),
                row("PUBACK with flags 0010", MQTT_5, 0x81, 0x42, 0x02, 0x00, 0x01),
                row("PUBCOMP with flags 1000", MQTT_5, 0x81, 0x78, 0x02, 0x00, 0x01),
                row("PUBACK with a PUBREL code", MQTT_5, 0x81, 0x40, 0x03, 0x00, 0x01, 0x92),
                row("PUBREL with a PUBACK code", MQTT_5, 0x81, 0x62, 0x03, 0x00, 0x01, 0x10),
                // Property Length 5 but the packet ends after it: 2 + 1 + 1 = Remaining Length 4
                row("properties past the end", MQTT_5, 0x81, 0x40, 0x04, 0x00, 0x01, 0x00, 0x05),
                row("byte left over after properties", MQTT_5, 0x81, 0x40, 0x05, 0x00, 0x01, 0x00, 0x00, 0x1F),
                row("Property Length not in shortest form", MQTT_5, 0x81, 0x40, 0x05, 0x00, 0x01, 0x00, 0x80, 0x00),
                // Session Expiry Interval (1 + 4 = 5 bytes) belongs to CONNECT, CONNACK and DISCONNECT only
                row("Session Expiry Interval on PUBACK", MQTT_5, 0x81,
                        0x40, 0x09, 0x00, 0x01, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x0A),
                row("Property Identifier 0", MQTT_5, 0x81, 0x50, 0x05, 0x00, 0x01, 0x00, 0x01, 0x00),
                // Two Reason Strings of 1 + 2 + 1 = 4 bytes: Property Length 8, Remaining Length 2 + 1 + 1 + 8
                row("duplicate Reason String", MQTT_5, 0x82, 0x50, 0x0C, 0x00, 0x01, 0x00, 0x08,
                        0x1F, 0x00, 0x01, 'a', 0x1F, 0x00, 0x01, 'b'),
                row("Reason String not UTF-8", MQTT_5, 0x81,
                        0x62, 0x08, 0x00, 0x01, 0x00, 0x04, 0x1F, 0x00, 0x01, 0xFF),
                row("Reason String holding U+0000", MQTT_5, 0x81,
                        0x62, 0x08, 0x00, 0x01, 0x00, 0x04, 0x1F, 0x00, 0x01, 0x00),
                row("Reason String longer than its section", MQTT_5, 0x81,
                        0x70, 0x08, 0x00, 0x01, 0x00, 0x04, 0x1F, 0x00, 0x05, 'a'),
                row("User Property without a value", MQTT_5, 0x81,
                        0x40, 0x08, 0x00, 0x01, 0x00, 0x04, 0x26, 0x00, 0x01, 'k'),
                row("3.1.1 PUBACK with a reason code", MQTT_3_1_1, 0x81, 0x40, 0x03, 0x00, 0x01, 0x00),
                row("3.1.1 PUBREL with properties", MQTT_3_1_1, 0x81, 0x62, 0x04, 0x00, 0x01, 0x00, 0x00),
                row("3.1.1 truncated PUBCOMP", MQTT_3_1_1, 0x81, 0x70, 0x01, 0x00),
                row("3.1.1 PUBREL without its flags", MQTT_3_1_1, 0x81, 0x60, 0x02, 0x00, 0x01),
                row("3.1.1 Packet Identifier 0", MQTT_3_1_1, 0x82, 0x50, 0x02, 0x00, 0x00));
    }

    private static Arguments row(String name, ProtocolVersion version, int reasonCode, int... bytes) {
        return Arguments.of(name, version, reasonCode, Packets.of(bytes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedAck(String name, ProtocolVersion version, int reasonCode, byte[] packet) {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> Packets.decode(view::wrap, version, packet));
        assertEquals(reasonCode, e.reasonCode(), e.getMessage());
    }

    @Test
    void shouldSayWhereTheBadReasonCodeSits() {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> Packets.decode(view::wrap, MQTT_5, 0x40, 0x03, 0x00, 0x01, 0x01));
        assertEquals(Packets.PREFIX + 4, e.offset()); // prefix, fixed header (2), Packet Identifier (2)
        assertTrue(e.getMessage().contains("0x01 is not a valid reason code for PUBACK"), e.getMessage());
    }

    @Test
    void shouldRefuseTypesThatAreNotAcks() {
        assertThrows(IllegalArgumentException.class,
                () -> view.wrap(PacketType.PUBLISH, ByteBuffer.allocate(4), 0, 0, 2, MQTT_5));
        assertThrows(IllegalArgumentException.class,
                () -> AckEncoder.encodedLength(PacketType.SUBACK, MQTT_5, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> AckEncoder.encode(ByteBuffer.allocate(8), PacketType.DISCONNECT, MQTT_5, 1, 0, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 0x10000})
    void shouldRefusePacketIdentifierOutsideRange(int packetId) {
        assertThrows(IllegalArgumentException.class,
                () -> AckEncoder.encode(ByteBuffer.allocate(8), PacketType.PUBACK, MQTT_5, packetId, 0, null));
    }

    @Test
    void shouldRefuseWhatNoPeerMayReceive() {
        MqttProperties reason = new MqttProperties().string(Property.REASON_STRING, "r");
        MqttProperties expiry = new MqttProperties().put(Property.SESSION_EXPIRY_INTERVAL, 10);
        assertThrows(IllegalArgumentException.class, () -> ack(PacketType.PUBACK, MQTT_3_1_1, 1, 0x10, null));
        assertThrows(IllegalArgumentException.class, () -> ack(PacketType.PUBREL, MQTT_3_1_1, 1, 0x00, reason));
        assertThrows(IllegalArgumentException.class, () -> ack(PacketType.PUBCOMP, MQTT_5, 1, 0x00, expiry));
        assertThrows(IllegalArgumentException.class, () -> ack(PacketType.PUBREC, MQTT_5, 1, 0x92, null));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void shouldLeaveTooSmallBufferUntouched(ProtocolVersion version) {
        ByteBuffer dst = ByteBuffer.allocate(3).put((byte) 0x5A);
        assertEquals(-1, AckEncoder.encode(dst, PacketType.PUBACK, version, 1, 0x00, null)); // needs 4 bytes
        assertEquals(1, dst.position());
        assertArrayEquals(new byte[] {0x5A, 0, 0}, dst.array());
    }

    private static boolean isValid(int type, int code) {
        return Arrays.stream(validCodes(type)).anyMatch(c -> c == code);
    }

    private static int[] validCodes(int type) {
        return type == PacketType.PUBACK || type == PacketType.PUBREC ? PUBACK_CODES : PUBREL_CODES;
    }

    private void roundTrip(int type, ProtocolVersion version, int packetId, int code, MqttProperties properties) {
        byte[] first = ack(type, version, packetId, code, properties);
        Packets.decode(view::wrap, version, first);
        assertEquals(type, view.type());
        assertEquals(packetId, view.packetId());
        assertEquals(code, view.reasonCode());
        assertArrayEquals(first, reencode(version));
    }

    private byte[] reencode(ProtocolVersion version) {
        MqttProperties copy = new MqttProperties().copyFrom(view.properties());
        return ack(view.type(), version, view.packetId(), view.reasonCode(), copy);
    }

    /** Encodes at a non-zero position of a buffer and checks the length promised matches the bytes written. */
    static byte[] ack(int type, ProtocolVersion version, int packetId, int code, MqttProperties properties) {
        int length = AckEncoder.encodedLength(type, version, code, properties);
        ByteBuffer dst = ByteBuffer.allocate(Packets.PREFIX + length + 1).position(Packets.PREFIX);
        assertEquals(length, AckEncoder.encode(dst, type, version, packetId, code, properties));
        assertEquals(Packets.PREFIX + length, dst.position());
        return Arrays.copyOfRange(dst.array(), Packets.PREFIX, Packets.PREFIX + length);
    }

    /** Shared by the codec tests of this package: wire bytes and a decoder driven as the dispatcher drives it. */
    static final class Packets {
        /** Junk before every packet, so a view that ignored its offset would read it. */
        static final int PREFIX = 3;
        /** Junk after every packet: a view reading past Remaining Length would see a User Property id. */
        private static final byte[] SUFFIX = {0x26, 0x00, 0x00};

        private Packets() {
        }

        /** A view's {@code wrap}, e.g. {@code view::wrap}. */
        interface Wrap {
            void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion v);
        }

        static byte[] of(int... values) {
            byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                bytes[i] = (byte) values[i];
            }
            return bytes;
        }

        static void decode(Wrap view, ProtocolVersion version, int... packet) {
            decode(view, version, of(packet));
        }

        /** Reads the fixed header like the dispatcher, then wraps; checks the buffer's position is untouched. */
        static void decode(Wrap view, ProtocolVersion version, byte[] packet) {
            ByteBuffer buffer = ByteBuffer.allocate(PREFIX + packet.length + SUFFIX.length);
            buffer.put(new byte[] {0x26, 0x26, 0x26}).put(packet).put(SUFFIX).position(1);
            long header = FixedHeader.read(buffer, PREFIX, PREFIX + packet.length, FixedHeader.MAX_PACKET_SIZE);
            assertEquals(packet.length, FixedHeader.headerLength(header) + FixedHeader.remainingLength(header));
            int first = buffer.get(PREFIX) & 0xFF;
            view.wrap(first >>> 4, buffer, first & 0x0F, PREFIX + FixedHeader.headerLength(header),
                    FixedHeader.remainingLength(header), version);
            assertEquals(1, buffer.position());
        }
    }
}
