package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions the protocol forbids, against the pipit client: refused at the call with IllegalArgumentException,
 * on the caller's thread, like an invalid topic filter; nothing is sent, and the client carries on. No Local on a
 * shared subscription (MQTT-3.8.3-4) used to be found on the I/O thread, whose exception stopped the client.
 */
@MockBrokerTest
final class InvalidSubscribeTest {
    @Test
    void shouldRefuseNoLocalOnASharedSubscriptionAtTheCallAndCarryOn(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "picky").connect()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.client.subscribe("$share/group/tele/#", QoS.AT_LEAST_ONCE, true, false, 0, m -> { }));
            assertTrue(e.getMessage().contains("No Local") && e.getMessage().contains("$share/group/tele/#"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, // an invalid filter: the same answer, for comparison
                    () -> c.client.subscribe("tele/#/x", QoS.AT_LEAST_ONCE, false, false, 0, m -> { }));

            assertEquals(1, c.subscribe("$share/group/tele/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("tele/a", "still here", QoS.AT_LEAST_ONCE)));
            assertEquals(List.of("tele/a=still here"), c.awaitMessages(1));
            assertTrue(c.client.isConnected());
            assertEquals(1, c.received(PacketType.SUBSCRIBE).size(), "only the valid SUBSCRIBE was sent");
            assertTrue(c.disconnects().isEmpty(), c.describe());
        }
    }
}
