package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code MqttClientBuilder.receiveMaximum}, against the pipit client: the value travels in CONNECT, a broker keeps
 * to it, and a server that sends one QoS 1/2 message more than it allows unacknowledged is answered with DISCONNECT
 * 0x93 Receive Maximum exceeded, which the connection listener hears too.
 */
@MockBrokerTest
final class ReceiveMaximumTest {
    /** A QoS 1 PUBLISH on "rm/b", Packet Identifier 99, that the broker's own flow control never sent. */
    private static final byte[] EXTRA_QOS1_PUBLISH = {
        0x32, 0x0A, // PUBLISH QoS 1, Remaining Length 10
        0x00, 0x04, 'r', 'm', '/', 'b', // Topic Name
        0x00, 0x63, // Packet Identifier 99
        0x00, // no properties
        'x'};

    @Test
    void shouldRefuseAReceiveMaximumOutside1To65535() {
        assertEquals("receiveMaximum must be 1..65535: 0", assertThrows(IllegalArgumentException.class,
                () -> MqttClient.builder().receiveMaximum(0)).getMessage());
        assertEquals("receiveMaximum must be 1..65535: 65536", assertThrows(IllegalArgumentException.class,
                () -> MqttClient.builder().receiveMaximum(65_536)).getMessage());
    }

    @Test
    void shouldAnnounceItAndDisconnectAServerThatExceedsIt(MockBroker broker) throws Exception {
        broker.faults("small").withhold(PacketType.PUBREL); // the one QoS 2 message stays unacknowledged
        try (ClientProbe c = new ClientProbe(broker, "small", b -> b.receiveMaximum(1)).connect()) {
            assertEquals(1, c.received(PacketType.CONNECT).get(0).property(Property.RECEIVE_MAXIMUM, -1));
            assertEquals(2, c.subscribe("rm/#", QoS.EXACTLY_ONCE).get(5, TimeUnit.SECONDS));
            broker.publish("rm/a", "within", 2, false);
            assertEquals(List.of("rm/a=within"), c.awaitMessages(1));
            broker.awaitReceived("small", PacketType.PUBREC);

            broker.sendRaw("small", EXTRA_QOS1_PUBLISH); // a second one while the first awaits its PUBREL
            assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    broker.awaitReceived("small", PacketType.DISCONNECT).reasonCode());
            ClientProbe.Disconnect d = c.awaitDisconnects(1);
            assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, d.reasonCode, d.toString());
            assertFalse(c.messages().contains("rm/b=x"), "not delivered: " + c.describe());
        }
    }
}
