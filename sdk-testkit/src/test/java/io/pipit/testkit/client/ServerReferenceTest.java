package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * goes to the target, not back to the configured server.
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
}
