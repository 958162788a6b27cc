package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Broker restarts (every connection dropped without DISCONNECT), against the pipit client. Proves that when the
 * broker kept the sessions the client resumes (Session Present), resends its unacknowledged QoS 1 publish with
 * DUP, does not subscribe again, keeps receiving, and finishes a QoS 2 flow exactly once; that when the broker
 * lost them the client subscribes again by itself, sends the unacknowledged publish again as a first delivery
 * (DUP clear) and keeps receiving; and that a restart with downtime is ridden out by backoff retries, with
 * publishes made offline delivered afterwards.
 */
@MockBrokerTest
final class RestartTest {
    private static ClientProbe subscribed(MockBroker broker, String clientId) throws Exception {
        ClientProbe c = new ClientProbe(broker, clientId).connect();
        assertEquals(1, c.subscribe("cmd/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS));
        return c;
    }

    @Test
    void shouldResumeTheKeptSessionResendingWithDupWithoutResubscribing(MockBroker broker) throws Exception {
        broker.faults("keeper").withhold(PacketType.PUBACK, 1);
        try (ClientProbe c = subscribed(broker, "keeper")) {
            long held = c.publish("data/held", "one", QoS.AT_LEAST_ONCE);
            broker.awaitPublish("data/held");

            broker.restart(true);
            assertTrue(c.awaitConnects(2), "Session Present after the restart: " + c.describe());
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(held));
            List<RecordedPacket> publishes = c.received(PacketType.PUBLISH);
            assertEquals(List.of("one", "one"), c.publishedPayloads());
            assertTrue(publishes.get(1).dup(), "resent with DUP to the session that may have seen it");
            assertEquals(publishes.get(0).packetId(), publishes.get(1).packetId());

            broker.publish("cmd/after", "still here", 1, false);
            assertEquals(List.of("cmd/after=still here"), c.awaitMessages(1));
            assertEquals(1, c.received(PacketType.SUBSCRIBE).size(), "the kept session kept the subscription");
        }
    }

    @Test
    void shouldResubscribeByItselfAndResendAsNewWhenTheRestartLostTheSession(MockBroker broker) throws Exception {
        broker.faults("amnesia").withhold(PacketType.PUBACK, 1);
        try (ClientProbe c = subscribed(broker, "amnesia")) {
            long held = c.publish("data/held", "one", QoS.AT_LEAST_ONCE);
            broker.awaitPublish("data/held");

            broker.restart(false);
            assertFalse(c.awaitConnects(2), "no session after a restart that lost them");
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(held));
            List<RecordedPacket> publishes = c.received(PacketType.PUBLISH);
            assertEquals(List.of("one", "one"), c.publishedPayloads(), "sent again: at least once");
            assertFalse(publishes.get(1).dup(), "a first delivery to the new session: DUP clear");

            broker.await(p -> p.direction() == RecordedPacket.Direction.RECEIVED && p.clientId().equals("amnesia")
                    && p.type() == PacketType.SUBSCRIBE && p.topicFilters().equals(List.of("cmd/#")), 2,
                    ClientProbe.TIMEOUT, "SUBSCRIBE cmd/# again");
            c.awaitUntil(() -> broker.subscriptions("amnesia").contains("cmd/#"), ClientProbe.TIMEOUT,
                    "the new session to hold cmd/#");
            broker.publish("cmd/after", "found you", 1, false);
            assertEquals(List.of("cmd/after=found you"), c.awaitMessages(1));
        }
    }

    @Test
    void shouldFinishAQos2FlowAcrossARestartKeepingSessionsExactlyOnce(MockBroker broker) throws Exception {
        broker.faults("once").withhold(PacketType.PUBREC, 1);
        try (ClientProbe sub = new ClientProbe(broker, "once-sub").connect();
                ClientProbe c = new ClientProbe(broker, "once").connect()) {
            assertEquals(2, sub.subscribe("cmd/#", QoS.EXACTLY_ONCE).get(5, TimeUnit.SECONDS));
            long held = c.publish("cmd/q2", "exactly", QoS.EXACTLY_ONCE);
            assertEquals(List.of("cmd/q2=exactly"), sub.awaitMessages(1));

            broker.restart(true);
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(held));
            assertTrue(c.connects().get(1), "resumed: " + c.describe());
            assertTrue(c.received(PacketType.PUBLISH).get(1).dup(), "resent with DUP");
            assertTrue(sub.awaitConnects(2));
            sub.assertStaysFalse(() -> sub.messages().size() > 1, Duration.ofMillis(200), "a second delivery");
        }
    }

    @Test
    void shouldRideOutDowntimeAndDeliverWhatWasPublishedMeanwhile(MockBroker broker) throws Exception {
        try (ClientProbe sub = subscribed(broker, "down-sub");
                ClientProbe c = new ClientProbe(broker, "down-pub").connect()) {
            // A downtime that lasts until the test ends it, so that a reconnect attempt is refused whatever the
            // scheduling (a fixed 500 ms could pass unseen by a descheduled client thread): ten minutes, cut short
            // below by a second restart that listens again at once. The first one's listen timer never fires
            // here: the broker is closed with the test.
            broker.restart(true, Duration.ofMinutes(10));
            c.awaitDisconnects(1);
            List<Long> offline = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                offline.add(c.publish("cmd/" + i, "offline" + i, QoS.AT_LEAST_ONCE));
            }
            ClientProbe.Disconnect refused = c.awaitDisconnects(2);
            assertTrue(refused.reconnecting && refused.reasonCode == -1, "an attempt refused during the downtime, "
                    + "with a retry coming: " + refused);
            assertEquals(1, c.connects().size(), "not in during the downtime: " + c.describe());
            broker.restart(true, Duration.ofMillis(1));  // back up: sessions kept, listening again after 1 ms

            assertTrue(c.awaitConnects(2));
            for (long sequence : offline) {
                assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(sequence));
            }
            assertTrue(c.disconnects().stream().allMatch(d -> d.reconnecting && d.reasonCode == -1), c.describe());
            assertEquals(List.of("cmd/0=offline0", "cmd/1=offline1", "cmd/2=offline2", "cmd/3=offline3",
                    "cmd/4=offline4"), sub.awaitMessages(5), "in order, nothing lost");
            assertTrue(sub.awaitConnects(2), "the subscriber resumed its session too");
        }
    }
}
