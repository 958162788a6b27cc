package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static io.pipit.mqtt.codec.CodecTestSupport.AT;
import static io.pipit.mqtt.codec.CodecTestSupport.concat;
import static io.pipit.mqtt.codec.CodecTestSupport.dispatch;
import static io.pipit.mqtt.codec.CodecTestSupport.embed;
import static io.pipit.mqtt.codec.CodecTestSupport.encode;
import static io.pipit.mqtt.codec.CodecTestSupport.utf8;
import static io.pipit.mqtt.codec.CodecTestSupport.assertSameProperties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.testing.PropertyCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectCodecTest {
    private final ConnectView view = new ConnectView();

    @Test
    void shouldRoundTripMqtt5ConnectWithEveryPropertyWillAndCredentials() {
        ConnectEncoder encoder = fullMqtt5();
        wrap(view, encode(encoder), null);
        assertSameConnect(encoder, view);
    }

    @Test
    void shouldReencodeDecodedMqtt5ConnectByteIdentically() {
        byte[] first = encode(fullMqtt5());
        wrap(view, first, MQTT_5);
        assertArrayEquals(first, encode(new ConnectEncoder().copyFrom(view)));
    }

    @Test
    void shouldRoundTripMqtt311ConnectWithWillAndCredentials() {
        ConnectEncoder encoder = new ConnectEncoder().version(MQTT_3_1_1).cleanStart(false).keepAliveSeconds(65_535)
                .clientId("gateway-7").will(utf8("gw/7/state"), new byte[0], 2, false)
                .userName(utf8("bob")).password(new byte[] {'s', 0, 'c'});
        byte[] first = encode(encoder);
        wrap(view, first, MQTT_3_1_1);
        assertSameConnect(encoder, view);
        assertEquals(0, view.properties().presentMask());
        assertEquals(0, view.willProperties().presentMask());
        assertArrayEquals(first, encode(new ConnectEncoder().copyFrom(view)));
    }

    @Test
    void shouldDecodeConnectWithoutWillOrCredentialsAsAbsentFields() {
        wrap(view, encode(new ConnectEncoder().clientId("")), null);
        assertEquals(0, view.clientId().byteLength());
        assertFalse(view.hasWill());
        assertFalse(view.willTopic().isPresent());
        assertFalse(view.willPayload().isPresent());
        assertFalse(view.userName().isPresent());
        assertFalse(view.password().isPresent());
    }

    @Test
    void shouldForgetWillAndCredentialsOfThePreviousPacket() {
        wrap(view, encode(fullMqtt5()), null);
        wrap(view, encode(new ConnectEncoder().clientId("x")), null);
        assertFalse(view.willTopic().isPresent());
        assertEquals(0, view.willProperties().presentMask());
        assertFalse(view.userName().isPresent());
        assertFalse(view.password().isPresent());
    }

    @Test
    void shouldAcceptMqtt5PasswordWithoutUserName() {
        byte[] packet = encode(new ConnectEncoder().clientId("c").password(new byte[] {7}));
        wrap(view, packet, null);
        assertFalse(view.hasUserName());
        assertArrayEquals(new byte[] {7}, view.password().toByteArray());
    }

    /** A CONNECT of either version: Client Identifier up to 23 letters, Will QoS 3 standing for "no Will". */
    record AnyConnect(boolean mqtt5, boolean cleanStart, int keepAlive, String clientId, int willQos, boolean retain,
            boolean user, boolean pass, int userProperties) {
        static final String LETTERS = PropertyCheck.chars('a', 'z') + PropertyCheck.chars('A', 'Z');

        static AnyConnect next(SplittableRandom random) {
            return new AnyConnect(random.nextBoolean(), random.nextBoolean(), random.nextInt(65_536),
                    PropertyCheck.string(random, LETTERS, 23), random.nextInt(4), random.nextBoolean(),
                    random.nextBoolean(), random.nextBoolean(), random.nextInt(6));
        }

        /**
         * Every combination of version, the four flags and Will QoS (2^7 = 128) and, spread over them, every
         * combination of the edge values of Keep Alive, Client Identifier and User Property count (5 x 5 x 5).
         */
        static List<AnyConnect> edgeCases() {
            List<Integer> keepAlives = PropertyCheck.edgeInts(0, 65_535);
            List<String> clientIds = List.of("", "a", "Z", "z".repeat(22), "A".repeat(23));
            List<Integer> userPropertyCounts = PropertyCheck.edgeInts(0, 5);
            List<AnyConnect> edgeCases = new ArrayList<>();
            for (int flags = 0; flags < 1 << 7; flags++) {
                int keepAlive = keepAlives.get(flags % keepAlives.size());
                String clientId = clientIds.get(flags / keepAlives.size() % clientIds.size());
                int userProperties = userPropertyCounts.get(
                        flags / (keepAlives.size() * clientIds.size()) % userPropertyCounts.size());
                edgeCases.add(new AnyConnect((flags & 1) != 0, (flags & 2) != 0, keepAlive, clientId, flags >> 5,
                        (flags & 4) != 0, (flags & 8) != 0, (flags & 16) != 0, userProperties));
            }
            return edgeCases;
        }
    }

    @Test
    void shouldRoundTripAnyConnect() {
        PropertyCheck.forAll("shouldRoundTripAnyConnect", AnyConnect.edgeCases(), 300, AnyConnect::next,
                this::assertRoundTrips);
    }

    private void assertRoundTrips(AnyConnect connect) {
        boolean mqtt5 = connect.mqtt5();
        String clientId = connect.clientId();
        ConnectEncoder encoder = new ConnectEncoder().version(mqtt5 ? MQTT_5 : MQTT_3_1_1)
                .keepAliveSeconds(connect.keepAlive())
                .cleanStart(connect.cleanStart() || (!mqtt5 && clientId.isEmpty())).clientId(clientId)
                .userName(connect.user() || (connect.pass() && !mqtt5) ? utf8("u" + clientId) : null)
                .password(connect.pass() ? utf8(clientId) : null);
        for (int i = 0; mqtt5 && i < connect.userProperties(); i++) {
            encoder.properties().addUserProperty("k" + i, clientId);
        }
        if (connect.willQos() < 3) {  // 3 stands for "no Will"
            encoder.will(utf8("w/" + clientId), utf8(clientId), connect.willQos(), connect.retain());
            for (int i = 0; mqtt5 && i < connect.userProperties(); i++) {
                encoder.willProperties().addUserProperty(clientId, "v" + i);
            }
        }
        byte[] first = encode(encoder);
        wrap(view, first, null);
        assertSameConnect(encoder, view);
        assertArrayEquals(first, encode(new ConnectEncoder().copyFrom(view)));
    }

    @Test
    void shouldLeaveDestinationUntouchedWhenItIsTooSmall() {
        ConnectEncoder encoder = fullMqtt5();
        ByteBuffer dst = ByteBuffer.allocate(encoder.encodedLength() - 1);
        assertEquals(-1, encoder.encode(dst));
        assertEquals(0, dst.position());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'Protocol Name MQTX',    0, 4, 'M', 'Q', 'T', 'X', 4",
        "'Protocol Name mqtt',    0, 4, 'm', 'q', 't', 't', 4",
        "'Protocol Level 3',      0, 4, 'M', 'Q', 'T', 'T', 3",
        "'Protocol Level 6',      0, 4, 'M', 'Q', 'T', 'T', 6",
        "'Protocol Level 0',      0, 4, 'M', 'Q', 'T', 'T', 0",
        "'Protocol Name length 5', 0, 5, 'M', 'Q', 'T', 'T', 4",
    })
    void shouldRejectUnsupportedProtocol(String name, int lengthHigh, int lengthLow, char m, char q, char t1,
            char t2, int level) {
        byte[] packet = {
            0x10, // CONNECT
            0x11, // Remaining Length 17 = 2 + 4 (Protocol Name) + 1 + 1 + 2 + 2 + 5 (Client Identifier)
            (byte) lengthHigh, (byte) lengthLow, (byte) m, (byte) q, (byte) t1, (byte) t2, // Protocol Name
            (byte) level, // Protocol Level
            0x02, // Connect Flags: Clean Session
            0x00, 0x3C, // Keep Alive 60
            0x00, 0x05, 'p', 'i', 'p', 'i', 't', // Client Identifier
        };
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, reasonCode(packet, null), name);
    }

    @Test
    void shouldRejectMqtt31ProtocolNameMqisdp() {
        byte[] packet = {
            0x10, // CONNECT
            0x13, // Remaining Length 19 = 2 + 6 ("MQIsdp") + 1 + 1 + 2 + 2 + 5 (Client Identifier)
            0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // Protocol Name of MQTT 3.1
            0x03, // Protocol Level 3
            0x02, // Connect Flags: Clean Session
            0x00, 0x3C, // Keep Alive 60
            0x00, 0x05, 'p', 'i', 'p', 'i', 't', // Client Identifier
        };
        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, reasonCode(packet, null));
    }

    @Test
    void shouldTakeTheVersionFromTheProtocolLevelNotTheCaller() {
        wrap(view, minimalConnect(4, 0x02), MQTT_5);
        assertEquals(MQTT_3_1_1, view.version());
        assertEquals(0, view.properties().presentMask());
        wrap(view, minimalConnect(5, 0x02), MQTT_3_1_1);
        assertEquals(MQTT_5, view.version());
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "'reserved bit 0 set',                    4, 0x03",
        "'reserved bit 0 set',                    5, 0x03",
        "'Will QoS 3 with Will Flag',             5, 0x1E",
        "'Will QoS 3 without Will Flag',          4, 0x1A",
        "'Will QoS 1 without Will Flag',          5, 0x0A",
        "'Will QoS 2 without Will Flag',          4, 0x12",
        "'Will Retain without Will Flag',         5, 0x22",
        "'3.1.1 Password without User Name',      4, 0x42",
    })
    void shouldRejectMalformedConnectFlags(String name, int level, String flags) {
        byte[] packet = minimalConnect(level, Integer.decode(flags));
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null), name);
    }

    @ParameterizedTest(name = "Will Topic \"{0}\"")
    @CsvSource({"'a/+', 3", "'#', 1", "'', 0"})
    void shouldRejectInvalidWillTopic(String topic, int topicLength) {
        byte[] t = utf8(topic);
        byte[] packet = concat(new byte[] {
            0x10, // CONNECT
            (byte) (19 + topicLength), // Remaining Length = 10 + 2 + 1 (Client Identifier) + 2 + topic + 2 + 2
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x04, // Protocol Level 4
            0x06, // Connect Flags: Will Flag, Clean Session
            0x00, 0x00, // Keep Alive 0
            0x00, 0x01, 'c', // Client Identifier
            0x00, (byte) topicLength, // Will Topic length
        }, t, new byte[] {
            0x00, 0x02, 'h', 'i', // Will Payload
        });
        assertEquals(ReasonCode.TOPIC_NAME_INVALID, reasonCode(packet, null));
    }

    @Test
    void shouldRejectEmptyClientIdentifierWithoutCleanSessionIn311() {
        byte[] packet = {
            0x10, // CONNECT
            0x0C, // Remaining Length 12 = 10 + 2 (empty Client Identifier)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x04, // Protocol Level 4
            0x00, // Connect Flags: nothing, Clean Session 0
            0x00, 0x3C, // Keep Alive 60
            0x00, 0x00, // Client Identifier: empty
        };
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, reasonCode(packet, null));
    }

    @Test
    void shouldRejectBytesAfterTheLastField() {
        byte[] packet = {
            0x10, // CONNECT
            0x12, // Remaining Length 18 = 10 + 2 + 5 (Client Identifier) + 1 stray byte
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x04, // Protocol Level 4
            0x02, // Connect Flags: Clean Session
            0x00, 0x3C, // Keep Alive 60
            0x00, 0x05, 'p', 'i', 'p', 'i', 't', // Client Identifier
            0x00, // nothing announced this byte
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null));
    }

    @Test
    void shouldRejectInvalidUtf8ClientIdentifier() {
        byte[] packet = {
            0x10, // CONNECT
            0x0E, // Remaining Length 14 = 10 + 2 + 2 (Client Identifier)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x04, // Protocol Level 4
            0x02, // Connect Flags: Clean Session
            0x00, 0x3C, // Keep Alive 60
            0x00, 0x02, (byte) 0xC0, (byte) 0x80, // Client Identifier: overlong encoding of U+0000
        };
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null));
    }

    @Test
    void shouldRejectFixedHeaderFlags() {
        byte[] packet = minimalConnect(5, 0x02);
        packet[0] = 0x12; // CONNECT with flags 0b0010
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null));
    }

    @Test
    void shouldRejectPropertyNotAllowedInConnect() {
        byte[] packet = connect5(new byte[] {
            0x23, 0x00, 0x01, // Topic Alias 1: a PUBLISH property
        }, new byte[0]);
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null));
    }

    @Test
    void shouldRejectPropertyNotAllowedInWillProperties() {
        byte[] packet = connect5(new byte[0], new byte[] {
            0x11, 0x00, 0x00, 0x00, 0x0A, // Session Expiry Interval 10: a CONNECT property, not a Will one
        });
        assertEquals(ReasonCode.MALFORMED_PACKET, reasonCode(packet, null));
    }

    @Test
    void shouldRejectConnectPropertyOutOfRange() {
        byte[] packet = connect5(new byte[] {
            0x21, 0x00, 0x00, // Receive Maximum 0
        }, new byte[0]);
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, null));
    }

    @Test
    void shouldRejectDuplicateWillProperty() {
        byte[] packet = connect5(new byte[0], new byte[] {
            0x01, 0x01, // Payload Format Indicator 1
            0x01, 0x00, // Payload Format Indicator 0: a second one
        });
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, null));
    }

    @Test
    void shouldRejectDuplicateConnectProperty() {
        byte[] packet = {
            0x10, // CONNECT
            0x16, // Remaining Length 22 = 10 + 1 + 6 (two Receive Maximum) + 2 + 3 (Client Identifier)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x05, // Protocol Level 5
            0x02, // Connect Flags: Clean Start
            0x00, 0x3C, // Keep Alive 60
            0x06, // Property Length 6
            0x21, 0x00, 0x0A, // Receive Maximum 10
            0x21, 0x00, 0x0B, // Receive Maximum 11: a second one
            0x00, 0x03, 'a', 'b', 'c', // Client Identifier
        };
        assertEquals(ReasonCode.PROTOCOL_ERROR, reasonCode(packet, null));
    }

    @Test
    void shouldRejectEveryTruncationAsMalformed() {
        for (byte[] full : new byte[][] {encode(fullMqtt5()), encode(fullMqtt311())}) {
            long header = FixedHeader.read(ByteBuffer.wrap(full), 0, full.length, Integer.MAX_VALUE);
            int headerLength = FixedHeader.headerLength(header);
            for (int cut = 0; cut < FixedHeader.remainingLength(header); cut++) {
                // An exact-size copy: a read past the cut would throw IndexOutOfBounds, not pass unnoticed.
                ByteBuffer buf = ByteBuffer.wrap(Arrays.copyOf(full, headerLength + cut));
                int remaining = cut;
                MqttCodecException e = assertThrows(MqttCodecException.class,
                        () -> view.wrap(buf, 0, headerLength, remaining, null));
                assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode(), "cut to " + cut + ": " + e.getMessage());
            }
        }
    }

    @Test
    void shouldThrowOnlyCodecExceptionsForMutatedPackets() {
        Random random = new Random(42);
        for (byte[] valid : new byte[][] {encode(fullMqtt5()), encode(fullMqtt311())}) {
            int headerLength = FixedHeader.headerLength(FixedHeader.read(ByteBuffer.wrap(valid), 0, valid.length,
                    Integer.MAX_VALUE));
            int body = valid.length - headerLength;
            for (int i = 0; i < 20_000; i++) {
                byte[] packet = valid.clone();
                for (int n = random.nextInt(3) + 1; n > 0; n--) {
                    packet[headerLength + random.nextInt(body)] = (byte) random.nextInt(256);
                }
                int cut = random.nextInt(4) == 0 ? random.nextInt(body) : body;
                try {
                    view.wrap(ByteBuffer.wrap(packet, 0, headerLength + cut).slice(), 0, headerLength, cut, null);
                } catch (MqttCodecException expected) {
                    assertTrue(expected.reasonCode() >= 0x80);
                }
            }
        }
    }

    @Test
    void shouldRefuseConnectsNoPeerMayReceive() {
        ConnectEncoder encoder = new ConnectEncoder();
        assertThrows(IllegalArgumentException.class, () -> encoder.will(utf8("a/#"), new byte[0], 0, false));
        assertThrows(IllegalArgumentException.class, () -> encoder.will(utf8(""), new byte[0], 0, false));
        assertThrows(IllegalArgumentException.class, () -> encoder.will(utf8("a"), new byte[0], 3, false));
        assertThrows(IllegalArgumentException.class, () -> encoder.keepAliveSeconds(65_536));
        assertThrows(IllegalArgumentException.class, () -> encoder.clientId(new byte[] {(byte) 0xFF}));
        assertThrows(IllegalArgumentException.class, () -> encoder.userName(new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> encoder.password(new byte[65_536]));
        encoder.properties().put(Property.TOPIC_ALIAS, 1);
        assertThrows(IllegalArgumentException.class, encoder::encodedLength);  // not a CONNECT property
    }

    @Test
    void shouldRefuseMqtt311ConnectWithWhatOnly5Allows() {
        ConnectEncoder withProperties = new ConnectEncoder().version(MQTT_3_1_1).clientId("c");
        withProperties.properties().put(Property.RECEIVE_MAXIMUM, 5);
        assertThrows(IllegalArgumentException.class, withProperties::encodedLength);
        ConnectEncoder withWillProperties = new ConnectEncoder().version(MQTT_3_1_1).clientId("c")
                .will(utf8("w"), new byte[0], 0, false);
        withWillProperties.willProperties().put(Property.WILL_DELAY_INTERVAL, 5);
        assertThrows(IllegalArgumentException.class, () -> withWillProperties.encode(ByteBuffer.allocate(100)));
        ConnectEncoder passwordOnly = new ConnectEncoder().version(MQTT_3_1_1).clientId("c").password(new byte[1]);
        assertThrows(IllegalArgumentException.class, passwordOnly::encodedLength);
        ConnectEncoder noIdentity = new ConnectEncoder().version(MQTT_3_1_1).cleanStart(false);
        assertThrows(IllegalArgumentException.class, noIdentity::encodedLength);
    }

    @Test
    void shouldRefuseWillPropertiesWithoutWill() {
        ConnectEncoder encoder = new ConnectEncoder().clientId("c");
        encoder.willProperties().put(Property.WILL_DELAY_INTERVAL, 5);
        assertThrows(IllegalArgumentException.class, encoder::encodedLength);
        encoder.will(utf8("w"), new byte[0], 0, false).noWill();
        assertTrue(encoder.willProperties().isEmpty());
    }

    static ConnectEncoder fullMqtt5() {
        ConnectEncoder encoder = new ConnectEncoder().cleanStart(false).keepAliveSeconds(300).clientId("sensor-ü-1")
                .will(utf8("devices/1/status"), utf8("offline"), 1, true)
                .userName(utf8("alice")).password(new byte[] {0, (byte) 0x80, 'p'});
        encoder.properties().put(Property.SESSION_EXPIRY_INTERVAL, 86_400).put(Property.RECEIVE_MAXIMUM, 32)
                .put(Property.MAXIMUM_PACKET_SIZE, 1_048_576).put(Property.TOPIC_ALIAS_MAXIMUM, 10)
                .put(Property.REQUEST_RESPONSE_INFORMATION, 1).put(Property.REQUEST_PROBLEM_INFORMATION, 0)
                .addUserProperty("region", "eu").addUserProperty("fw", "1.2.3").addUserProperty("region", "backup")
                .string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .put(Property.AUTHENTICATION_DATA, new byte[] {1, 2, 3, (byte) 0xFF});
        encoder.willProperties().put(Property.WILL_DELAY_INTERVAL, 30).put(Property.PAYLOAD_FORMAT_INDICATOR, 1)
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 3_600).string(Property.CONTENT_TYPE, "text/plain")
                .string(Property.RESPONSE_TOPIC, "devices/1/reply").put(Property.CORRELATION_DATA, new byte[] {9, 8})
                .addUserProperty("a", "1").addUserProperty("b", "2");
        return encoder;
    }

    private static ConnectEncoder fullMqtt311() {
        return new ConnectEncoder().version(MQTT_3_1_1).clientId("c311").will(utf8("t"), utf8("p"), 1, true)
                .userName(utf8("u")).password(utf8("pw"));
    }

    /** A CONNECT with Client Identifier "pipit" and the given Connect Flags (which may promise more). */
    private static byte[] minimalConnect(int level, int connectFlags) {
        byte[] head = {
            0x10, // CONNECT
            (byte) (level == 5 ? 0x12 : 0x11), // Remaining Length 17 = 10 + 2 + 5, plus 1 for 5.0's properties
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            (byte) level, // Protocol Level
            (byte) connectFlags, // Connect Flags
            0x00, 0x3C, // Keep Alive 60
        };
        byte[] properties = level == 5 ? new byte[] {0x00} : new byte[0]; // 5.0: Property Length 0
        return concat(head, properties, new byte[] {0x00, 0x05, 'p', 'i', 'p', 'i', 't'});
    }

    /**
     * A 5.0 CONNECT with Client Identifier "c" and a Will to topic "w" with payload "hi", around the given
     * property bytes (each under 128 bytes, so every length below is one byte).
     */
    private static byte[] connect5(byte[] properties, byte[] willProperties) {
        int remaining = 10 + 1 + properties.length + 3 + 1 + willProperties.length + 3 + 4;
        return concat(new byte[] {
            0x10, // CONNECT
            (byte) remaining, // 10 + (1 + properties) + 3 (Client Id) + (1 + will properties) + 3 (topic) + 4 (payload)
            0x00, 0x04, 'M', 'Q', 'T', 'T', // Protocol Name
            0x05, // Protocol Level 5
            0x06, // Connect Flags: Will Flag, Clean Start
            0x00, 0x00, // Keep Alive 0
            (byte) properties.length, // Property Length
        }, properties, new byte[] {
            0x00, 0x01, 'c', // Client Identifier
            (byte) willProperties.length, // Will Property Length
        }, willProperties, new byte[] {
            0x00, 0x01, 'w', // Will Topic
            0x00, 0x02, 'h', 'i', // Will Payload
        });
    }

    static void assertSameConnect(ConnectEncoder expected, ConnectView actual) {
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.cleanStart(), actual.cleanStart());
        assertEquals(expected.keepAliveSeconds(), actual.keepAliveSeconds());
        assertTrue(actual.clientId().contentEquals(expected.clientId()));
        assertSameProperties(expected.properties(), actual.properties());
        assertEquals(expected.hasWill(), actual.hasWill());
        assertEquals(expected.willQos(), actual.willQos());
        assertEquals(expected.willRetain(), actual.willRetain());
        if (expected.hasWill()) {
            assertTrue(actual.willTopic().contentEquals(expected.willTopic()));
            assertArrayEquals(expected.willPayload(), actual.willPayload().toByteArray());
            assertSameProperties(expected.willProperties(), actual.willProperties());
        }
        assertEquals(expected.userName() != null, actual.hasUserName());
        if (expected.userName() != null) {
            assertTrue(actual.userName().contentEquals(expected.userName()));
        }
        assertArrayEquals(expected.password(), actual.password().toByteArray());
    }

    static void wrap(ConnectView view, byte[] packet, ProtocolVersion version) {
        dispatch(packet, version, view::wrap);
    }

    private int reasonCode(byte[] packet, ProtocolVersion expected) {
        return assertThrows(MqttCodecException.class, () -> wrap(view, packet, expected)).reasonCode();
    }

}
