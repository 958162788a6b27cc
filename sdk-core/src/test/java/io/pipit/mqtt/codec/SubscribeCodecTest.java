package io.pipit.mqtt.codec;

import static io.pipit.mqtt.ProtocolVersion.MQTT_3_1_1;
import static io.pipit.mqtt.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscribeCodecTest {
    /** Junk bytes laid before and after every packet: a read outside the packet would see them. */
    private static final int PAD = 3;
    private final SubscribeView view = new SubscribeView();
    private final SubscribeEncoder encoder = new SubscribeEncoder();

    @Test
    void shouldRoundTripEveryMqtt5OptionCombination() {
        encoder.subscribe(MQTT_5, 65535);
        encoder.properties().addSubscriptionIdentifier(268_435_455).addUserProperty("a", "1").addUserProperty("a", "2");
        int n = 0;
        for (int qos = 0; qos <= 2; qos++) {
            for (int retainHandling = 0; retainHandling <= 2; retainHandling++) {
                for (int flags = 0; flags < 4; flags++) {
                    encoder.add("t/" + n++, qos, (flags & 1) != 0, (flags & 2) != 0, retainHandling);
                }
            }
        }
        byte[] wire = encode(encoder);
        decode(view::wrap, MQTT_5, wire);
        assertEquals(36, view.filterCount());
        for (int i = 0; i < 36; i++) {
            assertEquals("t/" + i, view.filter(i).toString());
            assertEquals(i / 12, view.maxQos(i));
            assertEquals(i / 4 % 3, view.retainHandling(i));
            assertEquals((i & 1) != 0, view.noLocal(i));
            assertEquals((i & 2) != 0, view.retainAsPublished(i));
        }
        assertEquals(268_435_455, view.properties().subscriptionIdentifier(0));
        assertEquals(2, view.properties().userPropertyCount());
        assertArrayEquals(wire, reencode(view, MQTT_5));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void shouldRoundTripSharedAndWildcardFilters(ProtocolVersion version) {
        String[] filters = {"$share/group/sport/+/player1/#", "#", "+", "+/x/#", "/", "sport/ténnis/日本", "$SYS/#"};
        for (int type : new int[] {PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE}) {
            if (type == PacketType.SUBSCRIBE) {
                encoder.subscribe(version, 300);
            } else {
                encoder.unsubscribe(version, 300);
            }
            if (version.isMqtt5()) {
                encoder.properties().addUserProperty("ü", "").addUserProperty("", "ß");
            }
            for (int i = 0; i < filters.length; i++) {
                encoder.add(filters[i], i % 3, false, false, 0);
            }
            byte[] wire = encode(encoder);
            decode(view::wrap, version, wire);
            assertEquals(type, view.type());
            assertEquals(filters.length, view.filterCount());
            for (int i = 0; i < filters.length; i++) {
                assertEquals(filters[i], view.filter(i).toString());
                assertEquals(i % 3, type == PacketType.SUBSCRIBE ? view.maxQos(i) : i % 3);
            }
            assertEquals(version.isMqtt5() ? 2 : 0, view.properties().userPropertyCount());
            assertArrayEquals(wire, reencode(view, version));
        }
    }

    @Test
    void shouldGrowFilterPositionsAndStillDecodeSmallerPackets() {
        encoder.unsubscribe(MQTT_5, 1);
        for (int i = 0; i < 100; i++) {
            encoder.add("f/" + i);
        }
        decode(view::wrap, MQTT_5, encode(encoder));
        assertEquals(100, view.filterCount());
        assertEquals("f/99", view.filter(99).toString());
        decode(view::wrap, MQTT_5, encode(encoder.unsubscribe(MQTT_5, 2).add("x")));
        assertEquals(1, view.filterCount());
        assertEquals("x", view.filter(0).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> view.filter(1));
        assertThrows(IndexOutOfBoundsException.class, () -> view.filter(-1));
    }

    @Test
    void shouldReturnMinusOneAndLeaveBufferUntouchedWhenTooSmall() {
        encoder.subscribe(MQTT_5, 9).add("a/b", 1, true, true, 2);
        int length = encoder.encodedLength();
        assertEquals(2 + 2 + 1 + 5 + 1, length);  // fixed header 2, id 2, empty properties 1, filter 5, options 1
        ByteBuffer small = ByteBuffer.allocate(length - 1);
        assertEquals(-1, encoder.encode(small));
        assertEquals(0, small.position());
        ByteBuffer exact = ByteBuffer.allocate(length);
        assertEquals(length, encoder.encode(exact));
        assertEquals(length, exact.position());
    }

    @Test
    void shouldStartEachPacketWithNoFiltersAndNoProperties() {
        encoder.subscribe(MQTT_5, 1).add("a", 0, false, false, 0);
        encoder.properties().addUserProperty("k", "v");
        encoder.unsubscribe(MQTT_3_1_1, 2);
        assertEquals(0, encoder.filterCount());
        assertTrue(encoder.properties().isEmpty());
        assertEquals(PacketType.UNSUBSCRIBE, encoder.type());
        assertEquals(MQTT_3_1_1, encoder.version());
        assertEquals(5, encoder.packetId(5).packetId());
    }

    @Test
    void shouldIgnoreOptionsOfUnsubscribeFilters() {
        encoder.unsubscribe(MQTT_5, 1).add(utf8("a"), 0xFF);
        assertArrayEquals(bytes(0xA2, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 'a'), encode(encoder));
    }

    @Test
    void shouldEncodeAndDecodeWithoutAllocating() {
        encoder.subscribe(MQTT_5, 7).add("sensors/+/temperature", 1, true, false, 2).add("$share/g/cmd/#", 2, false,
                true, 1);
        encoder.properties().addSubscriptionIdentifier(42).addUserProperty("k", "v");
        ByteBuffer dst = ByteBuffer.allocateDirect(encoder.encodedLength());
        roundTrips(dst, 200_000);  // warm-up: class loading, JIT, deopts
        AllocationMeter meter = new AllocationMeter(3);
        assertEquals(0L, meter.leastBytesPerRound(() -> roundTrips(dst, 100_000)));
        assertEquals(100_000 * 5, meter.lastChecksum());  // the loop really ran
    }

    private int roundTrips(ByteBuffer dst, int count) {
        int checked = 0;
        for (int i = 0; i < count; i++) {
            dst.clear();
            int length = encoder.encode(dst);
            view.wrap(PacketType.SUBSCRIBE, dst, 0b0010, 2, length - 2, MQTT_5);  // 2-byte fixed header
            checked += view.filterCount() + view.maxQos(0) + view.retainHandling(1)
                    + view.properties().subscriptionIdentifier(0) / 42 + (view.filter(1).charAt(0) == '$' ? 0 : 1);
        }
        return checked;
    }

    // ---- malformed input: one row per case, each with the reason code it must produce ----

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("flags 0b0000 on SUBSCRIBE", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x80, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x00)),
                Arguments.of("flags 0b0000 on UNSUBSCRIBE", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0xA0, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 'a')),
                Arguments.of("truncated Packet Identifier", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x01, 0x00)),
                Arguments.of("Packet Identifier 0", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 'a', 0x00)),
                Arguments.of("SUBSCRIBE without filters (5.0)", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x03, 0x00, 0x01, 0x00)),            // id, empty properties, nothing else
                Arguments.of("SUBSCRIBE without filters (3.1.1)", MQTT_3_1_1, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x02, 0x00, 0x01)),
                Arguments.of("UNSUBSCRIBE without filters", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0xA2, 0x03, 0x00, 0x01, 0x00)),
                Arguments.of("one byte of filter length", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x04, 0x00, 0x01, 0x00, 0x00)),
                Arguments.of("filter longer than the packet", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x06, 0x00, 0x01, 0x00, 0x00, 0x02, 'a')),  // says 2 bytes, 1 left
                Arguments.of("missing Subscription Options", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 'a')),
                Arguments.of("leftover byte after the last options", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x08, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x00, 0x00)),
                Arguments.of("leftover byte after the last UNSUBSCRIBE filter", MQTT_3_1_1,
                        ReasonCode.MALFORMED_PACKET, bytes(0xA2, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00)),
                Arguments.of("ill-formed UTF-8 filter", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 0xC0, 0x00)),   // 0xC0 is never valid
                Arguments.of("U+0000 in filter", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00)),
                Arguments.of("No Local on a shared subscription", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x10,                                // 2 id + 1 properties + 12 filter + 1 = 16
                        0x00, 0x01, 0x00,
                        0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'a',
                        0x04)),                                    // No Local
                Arguments.of("invalid filter in UNSUBSCRIBE", MQTT_5, ReasonCode.TOPIC_FILTER_INVALID, bytes(
                        0xA2, 0x07, 0x00, 0x01, 0x00, 0x00, 0x02, 'a', '#')),
                Arguments.of("Subscription Identifier 0", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x09, 0x00, 0x01,
                        0x02, 0x0B, 0x00,                          // Subscription Identifier 0
                        0x00, 0x01, 'a', 0x00)),
                Arguments.of("two Subscription Identifiers", MQTT_5, ReasonCode.PROTOCOL_ERROR, bytes(
                        0x82, 0x0B, 0x00, 0x01,
                        0x04, 0x0B, 0x01, 0x0B, 0x02,              // Subscription Identifiers 1 and 2
                        0x00, 0x01, 'a', 0x00)),
                Arguments.of("Reason String in SUBSCRIBE", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x0B, 0x00, 0x01,
                        0x04, 0x1F, 0x00, 0x01, 'x',               // Reason String "x"
                        0x00, 0x01, 'a', 0x00)),
                Arguments.of("Subscription Identifier in UNSUBSCRIBE", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0xA2, 0x08, 0x00, 0x01,
                        0x02, 0x0B, 0x01,                          // Subscription Identifier 1
                        0x00, 0x01, 'a')),
                Arguments.of("properties longer than the packet", MQTT_5, ReasonCode.MALFORMED_PACKET, bytes(
                        0x82, 0x04, 0x00, 0x01, 0x05, 0x0B)));     // says 5 bytes, 1 left
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedPacket(String problem, ProtocolVersion version, int reasonCode, byte[] wire) {
        assertEquals(reasonCode, reason(() -> decode(view::wrap, version, wire)), problem);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x30, 0x40, 0x80, 0xC0, 0x33})
    void shouldRejectInvalidMqtt5SubscriptionOptions(int options) {
        byte[] wire = bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', options);
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> decode(view::wrap, MQTT_5, wire)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80})
    void shouldRejectMqtt311SubscriptionOptionsBeyondQos(int options) {
        byte[] wire = bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', options);
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> decode(view::wrap, MQTT_3_1_1, wire)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a#", "#/a", "a+", "+a/b", "$share/g", "$share//a", "$share/g/", "$share/g+/a"})
    void shouldRejectInvalidTopicFilter(String filter) {
        byte[] f = utf8(filter);
        byte[] wire = new byte[2 + 2 + 1 + 2 + f.length + 1];
        ByteBuffer.wrap(wire).put((byte) 0x82).put((byte) (wire.length - 2)).putShort((short) 1).put((byte) 0)
                .putShort((short) f.length).put(f).put((byte) 0);
        MqttCodecException e = assertThrows(MqttCodecException.class, () -> decode(view::wrap, MQTT_5, wire));
        assertEquals(ReasonCode.TOPIC_FILTER_INVALID, e.reasonCode());
        assertTrue(e.getMessage().contains("Topic Filter 0"), e.getMessage());
    }

    @Test
    void shouldRejectPacketRunningPastTheBuffer() {
        ByteBuffer buf = ByteBuffer.wrap(bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a'));  // options missing
        assertEquals(ReasonCode.MALFORMED_PACKET, reason(() -> view.wrap(PacketType.SUBSCRIBE, buf, 2, 2, 7, MQTT_5)));
    }

    @Test
    void shouldRefuseToDecodeOtherPacketTypes() {
        assertThrows(IllegalArgumentException.class,
                () -> view.wrap(PacketType.SUBACK, ByteBuffer.allocate(8), 0, 0, 3, MQTT_5));
    }

    // ---- encoder misuse ----

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void shouldRefuseInvalidPacketIdentifier(int packetId) {
        assertThrows(IllegalArgumentException.class, () -> encoder.subscribe(MQTT_5, packetId));
        assertThrows(IllegalArgumentException.class, () -> encoder.unsubscribe(MQTT_5, packetId));
        assertThrows(IllegalArgumentException.class, () -> encoder.packetId(packetId));
    }

    @Test
    void shouldRefuseToEncodeBeforeAPacketIsStarted() {
        assertThrows(IllegalArgumentException.class, () -> new SubscribeEncoder().add("a").encodedLength());
        assertThrows(IllegalArgumentException.class, () -> encoder.subscribe(null, 1));
    }

    @Test
    void shouldRefuseToEncodeWithoutFilters() {
        encoder.unsubscribe(MQTT_5, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(ByteBuffer.allocate(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a#", "a/+b", "$share/g", "$share/+/a"})
    void shouldRefuseInvalidFilter(String filter) {
        encoder.subscribe(MQTT_5, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.add(filter));
    }

    @Test
    void shouldRefuseFilterThatIsNotUtf8() {
        encoder.unsubscribe(MQTT_5, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.add(bytes(0xC0, 0x80), 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.add(null, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x30, 0x40, 0x80, -1, 0x100})
    void shouldRefuseInvalidMqtt5Options(int options) {
        encoder.subscribe(MQTT_5, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.add(utf8("a"), options));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x04, 0x08, 0x10})
    void shouldRefuseMqtt311OptionsBeyondQos(int options) {
        encoder.subscribe(MQTT_3_1_1, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.add(utf8("a"), options));
    }

    @Test
    void shouldRefuseNoLocalOnSharedSubscription() {
        encoder.subscribe(MQTT_5, 1);
        assertThrows(IllegalArgumentException.class, () -> encoder.add("$share/g/a", 0, true, false, 0));
    }

    @Test
    void shouldRefuseOutOfRangeOptionValues() {
        assertThrows(IllegalArgumentException.class, () -> SubscribeEncoder.options(3, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> SubscribeEncoder.options(0, false, false, 3));
        assertThrows(IllegalArgumentException.class, () -> SubscribeEncoder.options(-1, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> SubscribeEncoder.options(0, false, false, -1));
        assertEquals(0x2E, SubscribeEncoder.options(2, true, true, 2));
    }

    @Test
    void shouldRefusePropertiesTheyMayNotCarry() {
        encoder.subscribe(MQTT_3_1_1, 1).add("a").properties().addUserProperty("k", "v");
        assertThrows(IllegalArgumentException.class, encoder::encodedLength);
        encoder.subscribe(MQTT_5, 1).add("a").properties().string(Property.REASON_STRING, "no");
        assertThrows(IllegalArgumentException.class, encoder::encodedLength);
        encoder.subscribe(MQTT_5, 1).add("a").properties().addSubscriptionIdentifier(1).addSubscriptionIdentifier(2);
        assertThrows(IllegalArgumentException.class, encoder::encodedLength);
        encoder.unsubscribe(MQTT_5, 1).add("a").properties().addSubscriptionIdentifier(1);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(ByteBuffer.allocate(64)));
    }

    // ---- helpers, shared with the other SUBSCRIBE-family tests ----

    /** The shape of {@link SubscribeView#wrap} and {@link SubackView#wrap}. */
    interface Wrapper {
        void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion version);
    }

    /** Reads the fixed header the way the dispatcher does, then wraps the view over the body. */
    static void decode(Wrapper view, ProtocolVersion version, byte[] packet) {
        ByteBuffer buf = ByteBuffer.allocate(PAD + packet.length + PAD);
        Arrays.fill(buf.array(), (byte) 0xFF);
        buf.position(PAD);
        buf.put(packet).clear();
        long header = FixedHeader.read(buf, PAD, PAD + packet.length, FixedHeader.MAX_PACKET_SIZE);
        int first = packet[0] & 0xFF;
        view.wrap(first >>> 4, buf, first & 0x0F, PAD + FixedHeader.headerLength(header),
                FixedHeader.remainingLength(header), version);
    }

    /** Encodes into a buffer of exactly {@code encodedLength()} bytes; checks the count returned. */
    static byte[] encode(SubscribeEncoder e) {
        ByteBuffer dst = ByteBuffer.allocate(e.encodedLength());
        assertEquals(dst.capacity(), e.encode(dst));
        assertEquals(dst.capacity(), dst.position());
        return dst.array();
    }

    /** Builds a new packet from everything the view decoded and encodes it. */
    static byte[] reencode(SubscribeView v, ProtocolVersion version) {
        SubscribeEncoder again = new SubscribeEncoder();
        if (v.type() == PacketType.SUBSCRIBE) {
            again.subscribe(version, v.packetId());
        } else {
            again.unsubscribe(version, v.packetId());
        }
        again.properties().copyFrom(v.properties());
        for (int i = 0; i < v.filterCount(); i++) {
            byte[] filter = new byte[v.filter(i).byteLength()];
            v.filter(i).copyTo(filter, 0);
            again.add(filter, v.type() == PacketType.SUBSCRIBE ? v.options(i) : 0);
        }
        return encode(again);
    }

    static int reason(org.junit.jupiter.api.function.Executable decoding) {
        return assertThrows(MqttCodecException.class, decoding).reasonCode();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
