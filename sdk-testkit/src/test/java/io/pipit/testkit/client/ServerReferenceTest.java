package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following a Server Reference, against the pipit client and two {@link MockBroker}s: the one configured, which
 * redirects (CONNACK 0x9C or DISCONNECT 0x9D with a Server Reference), and its target, which speaks only MQTT 3.1.1.
 * Proves that the client falls back to 3.1.1 at the target as it would on a first connect there: the 3.1.1 retry
 * goes to the target, not back to the configured server. And that a target which cannot be reached is one failed
 * attempt like any other: a first connect fails with it, instead of retrying the target at once, for ever.
 */
final class ServerReferenceTest {
    private final MockBroker configured = MockBroker.start();
    private final MockBroker target = MockBroker.builder().mqtt311Only(true).start();

    @AfterEach
    void closeBrokers() {
        configured.close();
        target.close();
    }

    private String targetReference() {
        return "127.0.0.1:" + target.port();
    }

    private static List<Boolean> connectVersions(MockBroker broker, String clientId) {
        return broker.received(clientId).stream().filter(p -> p.type() == PacketType.CONNECT)
                .map(RecordedPacket::mqtt5).collect(Collectors.toList());
    }

    @Test
    void shouldFallBackTo311AtTheTargetOfAConnackRedirect() throws Exception {
        configured.faults().refuseConnect(ReasonCode.USE_ANOTHER_SERVER, targetReference(), 1);
        try (ClientProbe c = new ClientProbe(configured, "sent-away", b -> b.followServerReference(true))) {
            c.client.connect();
            target.awaitConnected("sent-away");
            assertEquals(ProtocolVersion.MQTT_3_1_1, c.client.protocolVersion());
            assertEquals(List.of(true), connectVersions(configured, "sent-away"), "redirected once, not come back to");
            assertEquals(List.of(true, false), connectVersions(target, "sent-away"), "5.0 refused, then 3.1.1 there");
        }
    }

    @Test
    void shouldFallBackTo311AtTheTargetOfADisconnectRedirect() throws Exception {
        try (ClientProbe c = new ClientProbe(configured, "moved", b -> b.followServerReference(true)).connect()) {
            configured.disconnect("moved", ReasonCode.SERVER_MOVED, targetReference());
            c.awaitConnects(2);
            target.awaitConnected("moved");
            assertEquals(ProtocolVersion.MQTT_3_1_1, c.client.protocolVersion());
            assertEquals(List.of(true), connectVersions(configured, "moved"), "moved away, not come back to");
            assertEquals(List.of(true, false), connectVersions(target, "moved"), "5.0 refused, then 3.1.1 there");
        }
    }

    @Test
    void shouldFailAFirstConnectWhoseRedirectTargetCannotBeReached() throws Exception {
        // nothing listens on port 1: the TCP connect to the target is refused before MQTT begins
        configured.faults().refuseConnect(ReasonCode.USE_ANOTHER_SERVER, "127.0.0.1:1", 1);
        try (ClientProbe c = new ClientProbe(configured, "nowhere", b -> b.followServerReference(true))) {
            MqttException e = assertThrows(MqttException.class, c.client::connect);
            assertTrue(e.getMessage().contains("connection failed"), "the target's failure, not a wait: " + e);
            ClientProbe.Disconnect redirected = c.awaitDisconnects(1);
            assertEquals(ReasonCode.USE_ANOTHER_SERVER, redirected.reasonCode, redirected.toString());
            assertTrue(redirected.reconnecting, "the redirect is followed at once: " + redirected);
            ClientProbe.Disconnect unreachable = c.awaitDisconnects(2);
            assertEquals(-1, unreachable.reasonCode, unreachable.toString());
            assertFalse(unreachable.reconnecting, "a first connect that fails is the caller's: " + unreachable);
            assertEquals(2, c.disconnects().size(), "one attempt at the target: " + c.describe());
        }
    }
}
