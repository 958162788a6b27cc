package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile bytes from the broker, against the pipit client. Proves that each broken packet is
 * answered with DISCONNECT carrying the reason code the specification names for it (asserted on the broker's
 * recording of what the client sent), reported to the ConnectionListener with that code, and followed by a
 * reconnect that works; that a packet announced larger than the client's Maximum Packet Size is refused from its
 * header alone (0x95); that a PUBLISH using a Topic Alias the client never learned is a Protocol Error (0x82), or
 * Topic Alias Invalid (0x94) beyond the client's Topic Alias Maximum; and that acks for unknown Packet
 * Identifiers do not break the connection.
 */
@MockBrokerTest
final class MalformedInputTest {
    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("reserved packet type 0", ReasonCode.MALFORMED_PACKET,
                        bytes(0x00, 0x00)),
                Arguments.of("PUBREL with reserved flags 0000", ReasonCode.MALFORMED_PACKET,
                        bytes(0x60, 0x02, 0x00, 0x01)),                        // must be 0x62
                Arguments.of("PINGRESP with a body", ReasonCode.MALFORMED_PACKET,
                        bytes(0xD0, 0x01, 0x00)),
                Arguments.of("Remaining Length of five bytes", ReasonCode.MALFORMED_PACKET,
                        bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)),
                Arguments.of("PUBLISH, DUP at QoS 0", ReasonCode.MALFORMED_PACKET,
                        bytes(0x38, 0x04, 0x00, 0x01, 't', 0x00)),
                Arguments.of("PUBLISH, topic longer than the packet", ReasonCode.MALFORMED_PACKET,
                        bytes(0x30, 0x02, 0x00, 0x05)),
                Arguments.of("PUBLISH, topic not UTF-8", ReasonCode.MALFORMED_PACKET,
                        bytes(0x30, 0x04, 0x00, 0x01, 0xC0, 0x00)),            // 0xC0: never valid UTF-8
                Arguments.of("PUBLISH with Session Expiry, a property PUBLISH may not carry",
                        ReasonCode.MALFORMED_PACKET,
                        bytes(0x30, 0x09, 0x00, 0x01, 't', 0x05, 0x11, 0, 0, 0, 1)),
                Arguments.of("PUBACK with reason code 0x05", ReasonCode.MALFORMED_PACKET,
                        bytes(0x40, 0x03, 0x00, 0x01, 0x05)),
                Arguments.of("PUBLISH at QoS 1 with Packet Identifier 0", ReasonCode.PROTOCOL_ERROR,
                        bytes(0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x00, 0x00)),
                Arguments.of("PUBLISH, Payload Format Indicator twice", ReasonCode.PROTOCOL_ERROR,
                        bytes(0x30, 0x08, 0x00, 0x01, 't', 0x04, 0x01, 0x00, 0x01, 0x00)),
                Arguments.of("PUBLISH, empty topic and no Topic Alias", ReasonCode.PROTOCOL_ERROR,
                        bytes(0x30, 0x03, 0x00, 0x00, 0x00)),
                Arguments.of("PINGREQ from the server", ReasonCode.PROTOCOL_ERROR,
                        bytes(0xC0, 0x00)),
                Arguments.of("SUBSCRIBE from the server", ReasonCode.PROTOCOL_ERROR,
                        bytes(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x00)),
                Arguments.of("a second CONNACK", ReasonCode.PROTOCOL_ERROR,
                        bytes(0x20, 0x03, 0x00, 0x00, 0x00)),
                Arguments.of("PUBLISH, wildcard in the topic", ReasonCode.TOPIC_NAME_INVALID,
                        bytes(0x30, 0x04, 0x00, 0x01, '+', 0x00)),
                Arguments.of("PUBLISH, Topic Alias 0", ReasonCode.TOPIC_ALIAS_INVALID,
                        bytes(0x30, 0x07, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00)),
                Arguments.of("PUBLISH announced at 300,000 bytes, body never sent", ReasonCode.PACKET_TOO_LARGE,
                        bytes(0x30, 0xE0, 0xA7, 0x12)));                       // over the 256 KB default
    }

    /** The client sent DISCONNECT with {@code code}, told its listener the same, and came back. */
    private static void assertDisconnectedWithAndReconnected(ClientProbe c, MockBroker broker, String clientId,
            int code) throws Exception {
        RecordedPacket disconnect = broker.awaitReceived(clientId, PacketType.DISCONNECT);
        assertEquals(ClientProbe.hex(code), ClientProbe.hex(disconnect.reasonCode()), c.report());
        ClientProbe.Disconnect heard = c.awaitDisconnects(1);
        assertEquals(code, heard.reasonCode, heard.toString());
        assertTrue(heard.reconnecting, heard.toString());
        assertTrue(c.awaitConnects(2), "reconnected with its session: " + c.describe());
        assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("data/after", "fine", QoS.AT_LEAST_ONCE)),
                "the new connection works");
    }

    @ParameterizedTest(name = "{0}: DISCONNECT 0x{1}")
    @MethodSource("malformed")
    void shouldAnswerWithDisconnectAndTheRightReasonCodeThenReconnect(String what, int code, byte[] wire,
            MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "victim").connect()) {
            broker.sendRaw("victim", wire);
            assertDisconnectedWithAndReconnected(c, broker, "victim", code);
        }
    }

    @Test
    void shouldAnswerAPublishWithQos3With0x81(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "victim").connect()) {
            broker.sendMalformed("victim");
            assertDisconnectedWithAndReconnected(c, broker, "victim", ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    void shouldAnswerAnUnknownTopicAliasWithProtocolError(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "aliases", b -> b.topicAliasMaximum(10)).connect()) {
            broker.sendPublishWithUnknownTopicAlias("aliases", 5);
            assertDisconnectedWithAndReconnected(c, broker, "aliases", ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void shouldAnswerATopicAliasAboveItsMaximumWithTopicAliasInvalid(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "no-aliases").connect()) {  // Topic Alias Maximum 0
            broker.sendPublishWithUnknownTopicAlias("no-aliases", 1);
            assertDisconnectedWithAndReconnected(c, broker, "no-aliases", ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    void shouldDeliverNothingFromAnUnknownAliasAndKeepTheSubscription(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "relearn", b -> b.topicAliasMaximum(10)).connect()) {
            c.subscribe("cmd/#", QoS.AT_MOST_ONCE).get(5, TimeUnit.SECONDS);
            broker.sendPublishWithUnknownTopicAlias("relearn", 3);
            assertDisconnectedWithAndReconnected(c, broker, "relearn", ReasonCode.PROTOCOL_ERROR);
            broker.publish("cmd/go", "now", 0, false);
            assertEquals("cmd/go=now", c.awaitMessages(1).get(0), "no message came from the bad alias either");
        }
    }

    @Test
    void shouldIgnoreAPubackAndAnswerAPubrecForUnknownPacketIdentifiers(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "stray").connect()) {
            broker.sendRaw("stray", bytes(0x40, 0x02, 0x00, 0x4D));    // PUBACK id 77, never sent by the client
            broker.sendRaw("stray", bytes(0x50, 0x02, 0x00, 0x4E));    // PUBREC id 78, likewise
            RecordedPacket pubrel = broker.awaitReceived("stray", PacketType.PUBREL);
            assertEquals(78, pubrel.packetId());
            assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, pubrel.reasonCode(), "spec 4.3.3 / 3.6.2.1");
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("data/x", "ok", QoS.AT_LEAST_ONCE)));
            c.assertStaysFalse(() -> !c.disconnects().isEmpty(), Duration.ofMillis(100), "a disconnect");
            assertTrue(c.received(PacketType.DISCONNECT).isEmpty(), c.report());
        }
    }
}
