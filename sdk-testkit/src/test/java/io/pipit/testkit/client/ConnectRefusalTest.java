package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNACK refusals, against the pipit client. Proves that a refused first connect fails {@code connect()} with an
 * {@link MqttException} carrying the server's reason code, reports it to the ConnectionListener as final, and is
 * not retried even with automatic reconnect on; that 0x84 makes the client retry once in MQTT 3.1.1 (when the
 * fallback is on) and no more; that a 3.1.1 return code reaches the application as the matching MQTT 5 code; that a
 * CONNACK that never comes ends the attempt at the connect timeout (final for a first connect, retried for a
 * reconnect); and that refusals of a reconnect are retried with backoff until the server lets the client in.
 */
@MockBrokerTest
final class ConnectRefusalTest {
    /** Longer than the probe's largest reconnect delay (100 ms), so a retry would show within it. */
    private static final Duration NO_RETRY_WINDOW = Duration.ofMillis(200);

    /**
     * @return the first reason code in the exception's cause chain ({@code connect()} currently throws a wrapper
     *     with {@link MqttException#NO_REASON_CODE} around the MqttException that has the server's code)
     */
    private static void assertRefusedOnceAndFinal(ClientProbe c, int code) throws InterruptedException {
        MqttException e = assertThrows(MqttException.class, c.client::connect);
        assertEquals(code, e.reasonCode(), e.toString());
        assertTrue(e.getMessage().contains(ReasonCode.describe(code)), e.getMessage());
        ClientProbe.Disconnect heard = c.awaitDisconnects(1);
        assertEquals(code, heard.reasonCode, heard.toString());
        assertFalse(heard.reconnecting, "a refused first connect is the caller's to handle: " + heard);
        c.assertStaysFalse(() -> c.received(PacketType.CONNECT).size() > 1, NO_RETRY_WINDOW, "a retry");
        assertFalse(c.client.isConnected());
        assertTrue(c.connects().isEmpty(), c.describe());
    }

    @ParameterizedTest(name = "CONNACK 0x{0}")
    @ValueSource(strings = {"80", "81", "82", "83", "85", "86", "87", "88", "89", "8A", "8C", "90", "95", "97", "99",
        "9A", "9B", "9F"})
    void shouldFailConnectWithTheRefusalCodeAndNotRetry(String hex, MockBroker broker) throws Exception {
        int code = Integer.parseInt(hex, 16);
        broker.faults().refuseConnect(code);
        try (ClientProbe c = new ClientProbe(broker, "refused")) {
            assertRefusedOnceAndFinal(c, code);
            assertEquals(code, broker.awaitSent("refused", PacketType.CONNACK).reasonCode());
        }
    }

    @ParameterizedTest(name = "CONNACK 0x{0} with a Server Reference")
    @ValueSource(strings = {"9C", "9D"})
    void shouldFailConnectWithServerReferenceCodesWithoutFollowingThem(String hex, MockBroker broker)
            throws Exception {
        int code = Integer.parseInt(hex, 16);
        broker.faults().refuseConnect(code, "127.0.0.1:1", 1);
        try (ClientProbe c = new ClientProbe(broker, "elsewhere")) {
            assertRefusedOnceAndFinal(c, code);
            RecordedPacket connack = broker.awaitSent("elsewhere", PacketType.CONNACK);
            assertEquals("127.0.0.1:1", connack.stringProperty(Property.SERVER_REFERENCE));
        }
    }

    @Test
    void shouldRetryOnceInMqtt311WhenRefusedAsAnUnsupportedVersion(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        try (ClientProbe c = new ClientProbe(broker, "old")) {
            MqttException e = assertThrows(MqttException.class, c.client::connect);
            assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, e.reasonCode(), e.toString());
            c.assertStaysFalse(() -> c.received(PacketType.CONNECT).size() > 2, NO_RETRY_WINDOW, "a third CONNECT");
            List<Boolean> versions = c.received(PacketType.CONNECT).stream().map(RecordedPacket::mqtt5)
                    .collect(Collectors.toList());
            assertEquals(List.of(true, false), versions, "5.0, then once in 3.1.1");
            assertEquals(1, broker.sent("old").stream().filter(p -> p.type() == PacketType.CONNACK && !p.mqtt5())
                    .map(RecordedPacket::reasonCode).filter(rc -> rc == 1).count(), "3.1.1 return code 1");
        }
    }

    @Test
    void shouldNotFallBackWhenTheFallbackIsOff(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        try (ClientProbe c = new ClientProbe(broker, "strict", b -> b.fallBackTo311(false))) {
            assertRefusedOnceAndFinal(c, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        }
    }

    @Test
    void shouldReportAn311ReturnCodeAsTheMatchingReasonCode(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        try (ClientProbe c = new ClientProbe(broker, "v311", b -> b.protocolVersion(ProtocolVersion.MQTT_3_1_1))) {
            assertRefusedOnceAndFinal(c, ReasonCode.BAD_USER_NAME_OR_PASSWORD);
            assertEquals(4, broker.awaitSent("v311", PacketType.CONNACK).reasonCode(), "3.1.1 return code 4");
        }
    }

    @Test
    void shouldGiveUpAFirstConnectWhoseConnackNeverComes(MockBroker broker) throws Exception {
        broker.faults().withhold(PacketType.CONNACK, 1);
        try (ClientProbe c = new ClientProbe(broker, "unanswered", b -> b.connectTimeout(1, TimeUnit.SECONDS))) {
            MqttException e = assertThrows(MqttException.class, c.client::connect);
            assertTrue(e.getMessage().contains("no CONNACK"), e.getMessage());
            ClientProbe.Disconnect heard = c.awaitDisconnects(1);
            assertFalse(heard.reconnecting, heard.toString());
            c.assertStaysFalse(() -> c.received(PacketType.CONNECT).size() > 1, NO_RETRY_WINDOW, "a retry");
        }
    }

    @Test
    void shouldRetryAReconnectWhoseConnackNeverComes(MockBroker broker) throws Exception {
        // The probe's 3 s connect timeout, not a shorter one: it applies to the accepted CONNECTs too, and a
        // CONNACK slowed past it by a loaded machine would add an attempt and break the exact counts below.
        try (ClientProbe c = new ClientProbe(broker, "patient", b -> b.connectTimeout(3, TimeUnit.SECONDS))
                .connect()) {
            broker.faults("patient").withhold(PacketType.CONNACK, 1);
            broker.drop("patient");
            assertTrue(c.awaitConnects(2));
            List<ClientProbe.Disconnect> heard = c.disconnects();
            assertEquals(2, heard.size(), c.describe());
            assertTrue(heard.get(1).detail.contains("no CONNACK"), heard.get(1).toString());
            assertTrue(heard.stream().allMatch(d -> d.reconnecting), heard.toString());
            assertEquals(3, c.received(PacketType.CONNECT).size(), "first, unanswered, accepted");
        }
    }

    @Test
    void shouldKeepRetryingARefusedReconnectWithBackoffUntilLetIn(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "persistent").connect()) {
            broker.faults("persistent").refuseConnect(ReasonCode.SERVER_UNAVAILABLE, null, 2);
            broker.drop("persistent");
            assertTrue(c.awaitConnects(2), "in again, with its session");

            List<ClientProbe.Disconnect> heard = c.disconnects();
            assertEquals(List.of(-1, ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_UNAVAILABLE),
                    heard.stream().map(d -> d.reasonCode).collect(Collectors.toList()), c.describe());
            assertTrue(heard.stream().allMatch(d -> d.reconnecting), "each time with a retry coming: " + heard);
            assertEquals(4, c.received(PacketType.CONNECT).size(), "first, two refused, then accepted");
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("data/in", "again", QoS.AT_LEAST_ONCE)));
        }
    }
}
