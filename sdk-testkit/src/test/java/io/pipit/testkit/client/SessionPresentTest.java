package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A broker that answers Clean Start with Session Present 1 ({@code faults().claimSessionPresent}), against the
 * pipit client. Proves that the client closes such a connection with DISCONNECT 0x82 Protocol Error and says why
 * (MQTT-3.2.2-4), instead of trusting a session the broker does not hold; and that on the reconnect that follows
 * it subscribes again, so its subscription works, where before it sent no SUBSCRIBE and heard nothing more.
 */
@MockBrokerTest
final class SessionPresentTest {
    @Test
    void shouldRefuseSessionPresentInReplyToCleanStartAndSubscribeAgainOnTheNextConnection(MockBroker broker)
            throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "clean", b -> b.cleanStart(true)).connect()) {
            assertEquals(1, c.subscribe("cmd/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            broker.faults("clean").claimSessionPresent(1);
            broker.drop("clean");

            RecordedPacket disconnect = broker.awaitReceived("clean", PacketType.DISCONNECT);
            assertEquals(ReasonCode.PROTOCOL_ERROR, disconnect.reasonCode(), c.report());
            assertFalse(c.awaitConnects(2), "then a CONNACK as the spec asks; " + c.describe());
            List<ClientProbe.Disconnect> heard = c.disconnects();
            assertEquals(2, heard.size(), c.describe());
            assertEquals(ReasonCode.PROTOCOL_ERROR, heard.get(1).reasonCode, heard.toString());
            assertTrue(heard.get(1).reconnecting, heard.toString());
            assertTrue(heard.get(1).detail.contains("CONNACK with Session Present 1 in reply to Clean Start 1"),
                    heard.get(1).detail);
            assertEquals(List.of(false, false), c.connects(), "the wrong Session Present never reached the app");

            broker.await(p -> p.direction() == RecordedPacket.Direction.RECEIVED && p.clientId().equals("clean")
                    && p.type() == PacketType.SUBSCRIBE, 2, ClientProbe.TIMEOUT, "SUBSCRIBE cmd/# again");
            broker.publish("cmd/go", "now", 1, false);
            assertEquals(List.of("cmd/go=now"), c.awaitMessages(1), "the broker holds the subscription again");
        }
    }

    @Test
    void shouldFailAFirstConnectAnsweredWithSessionPresentToCleanStart(MockBroker broker) throws Exception {
        broker.faults("first").claimSessionPresent(1);
        try (ClientProbe c = new ClientProbe(broker, "first", b -> b.cleanStart(true))) {
            MqttException e = assertThrows(MqttException.class, c.client::connect);
            assertEquals(ReasonCode.PROTOCOL_ERROR, e.reasonCode(), e.toString());
            assertTrue(e.getMessage().contains("Session Present 1 in reply to Clean Start 1"), e.getMessage());
            assertFalse(c.client.isConnected());
        }
    }
}
