package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import io.pipit.testkit.RecordedPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connections that break, against the pipit client with automatic reconnect and a persistent session. Proves that
 * after a drop (after N packets, or on a matching PUBLISH or PUBREL) the client reconnects, resends every
 * unacknowledged QoS 1/2 publish with DUP in its original order, and loses nothing (each publish completes once,
 * a subscriber gets every message, QoS 2 exactly once); that a drop on its CONNECT is retried and a drop on its
 * SUBSCRIBE fails the future but is subscribed again by itself; that a black-holed connection is found dead by the
 * keepalive within 1.5 × keepalive and replaced; and that a server DISCONNECT reaches the ConnectionListener with
 * its reason code, Server Reference codes 0x9C/0x9D included (following the reference is not implemented yet: the
 * client reconnects to the same server).
 */
@MockBrokerTest
final class ConnectionFaultsTest {
    private static final int COUNT = 10;
    /**
     * How late a connection with a 2 s keepalive may be declared dead here: 3 × keepalive + 5 s, a failure bound for
     * a loaded machine; the exact timing is proven on a virtual clock (see the tests).
     */
    private static final long DEAD_BOUND_MS = 3 * 2_000 + 5_000;
    /** Longer than {@link #DEAD_BOUND_MS}, so a late death fails on the bound, with its figure. */
    private static final Duration DEAD_AWAIT = Duration.ofSeconds(20);

    private static List<Long> publishAll(ClientProbe c, String prefix, QoS qos) {
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            sequences.add(c.publish("data/" + i, prefix + i, qos));
        }
        return sequences;
    }

    /** Every publish completed exactly once, with success. */
    private static void assertAllCompletedOnce(ClientProbe c, List<Long> sequences) throws InterruptedException {
        for (long sequence : sequences) {
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(sequence), c.describe());
        }
        for (long sequence : sequences) {
            assertEquals(List.of(ReasonCode.SUCCESS), c.completionsOf(sequence), "completed once: " + sequence);
        }
    }

    /**
     * After the reconnect the client sent the publishes still unacknowledged first, each with DUP, in the order
     * of their first sends (a PUBLISH the broker saw twice came again with the same Packet Identifier). Packets
     * the broker never read before the drop are not in its recording, so DUP is what marks a resend.
     *
     * @return how many PUBLISHes were resent
     */
    private static int assertResendsMarkedDupInOrder(ClientProbe c) {
        Map<String, RecordedPacket> first = new HashMap<>();
        List<Integer> resent = new ArrayList<>();
        int connects = 0;
        for (RecordedPacket p : c.received(p -> p.type() == PacketType.CONNECT || p.type() == PacketType.PUBLISH)) {
            if (p.type() == PacketType.CONNECT) {
                connects++;
                continue;
            }
            RecordedPacket earlier = first.putIfAbsent(p.payloadAsString(), p);
            if (earlier != null) {
                assertTrue(p.dup(), "resend without DUP: " + p);
                assertEquals(earlier.packetId(), p.packetId(), "resend with another Packet Identifier: " + p);
            }
            if (p.dup()) {
                assertTrue(connects > 1, "DUP on a first connection: " + p);
                resent.add(Integer.parseInt(p.payloadAsString().substring(1)));
            }
        }
        List<Integer> ordered = new ArrayList<>(resent);
        ordered.sort(null);
        assertEquals(ordered, resent, "resends in the order of the first sends");
        return resent.size();
    }

    private static void assertReconnectedWithSession(ClientProbe c) throws InterruptedException {
        assertTrue(c.awaitConnects(2), "the broker kept the session: " + c.describe());
        ClientProbe.Disconnect drop = c.disconnects().get(0);
        assertEquals(-1, drop.reasonCode, "a drop is a network failure: " + drop);
        assertTrue(drop.reconnecting, drop.toString());
    }

    @Test
    void shouldResendUnacknowledgedQos1AfterADropAfterNPacketsAndLoseNothing(MockBroker broker) throws Exception {
        try (ClientProbe sub = new ClientProbe(broker, "n-sub").connect();
                ClientProbe c = new ClientProbe(broker, "n-pub").connect()) {
            sub.subscribe("data/#", QoS.AT_LEAST_ONCE).get(5, TimeUnit.SECONDS);
            // The PUBACKs of the 3 packets before the drop (m0..m2) are withheld, so those are in flight at the
            // drop however the threads were scheduled (without it, a test thread descheduled after m2 left nothing
            // unacknowledged to resend).
            broker.faults("n-pub").withhold(PacketType.PUBACK, 3).dropAfter(3);
            List<Long> sequences = publishAll(c, "m", QoS.AT_LEAST_ONCE);
            assertAllCompletedOnce(c, sequences);
            assertReconnectedWithSession(c);
            assertTrue(assertResendsMarkedDupInOrder(c) >= 3, "m0..m2 were in flight at the drop: " + c.report());
            for (int i = 0; i < 3; i++) {
                String payload = "m" + i;
                assertEquals(1, c.received(p -> p.type() == PacketType.PUBLISH && p.dup()
                        && payload.equals(p.payloadAsString())).size(), payload + " resent once: " + c.report());
            }

            sub.awaitUntil(() -> new TreeSet<>(sub.messages()).size() == COUNT, ClientProbe.TIMEOUT, "all messages");
            for (int i = 0; i < COUNT; i++) {
                assertTrue(sub.messages().contains("data/" + i + "=m" + i), "lost m" + i + ": " + sub.messages());
            }
        }
    }

    @Test
    void shouldResendFromTheQos1PublishTheBrokerDroppedOn(MockBroker broker) throws Exception {
        broker.faults("match").dropOn(p -> p.type() == PacketType.PUBLISH && "m4".equals(p.payloadAsString()));
        try (ClientProbe c = new ClientProbe(broker, "match").connect()) {
            List<Long> sequences = publishAll(c, "m", QoS.AT_LEAST_ONCE);
            assertAllCompletedOnce(c, sequences);
            assertReconnectedWithSession(c);
            assertResendsMarkedDupInOrder(c);
            List<RecordedPacket> m4 = c.received(p -> p.type() == PacketType.PUBLISH
                    && "m4".equals(p.payloadAsString()));
            assertEquals(2, m4.size(), "dropped unhandled, so sent again");
            assertTrue(m4.get(1).dup(), m4.get(1).toString());
            assertFalse(c.publishedPayloads().subList(0, 4).contains("m4"), "m0..m3 came before it");
        }
    }

    @Test
    void shouldDeliverQos2ExactlyOnceWhenTheConnectionDropsOnPubrel(MockBroker broker) throws Exception {
        broker.faults("rel").dropOn(p -> p.type() == PacketType.PUBREL);
        try (ClientProbe sub = new ClientProbe(broker, "rel-sub").connect();
                ClientProbe c = new ClientProbe(broker, "rel").connect()) {
            sub.subscribe("data/#", QoS.EXACTLY_ONCE).get(5, TimeUnit.SECONDS);
            List<Long> sequences = publishAll(c, "x", QoS.EXACTLY_ONCE);
            assertAllCompletedOnce(c, sequences);
            assertReconnectedWithSession(c);

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                expected.add("data/" + i + "=x" + i);
            }
            assertEquals(new TreeSet<>(expected), new TreeSet<>(sub.awaitMessages(COUNT)));
            sub.assertStaysFalse(() -> sub.messages().size() > COUNT, Duration.ofMillis(200),
                    "a duplicate delivery");
            assertTrue(c.received(PacketType.PUBREL).size() > COUNT, "the dropped PUBREL was sent again");
        }
    }

    @Test
    void shouldRetryAReconnectWhoseConnectWasDropped(MockBroker broker) throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "reconnector").connect()) {
            broker.faults("reconnector").dropOn(p -> p.type() == PacketType.CONNECT);
            broker.drop("reconnector");
            assertTrue(c.awaitConnects(2), c.describe());
            assertEquals(3, c.received(PacketType.CONNECT).size(), "first, dropped, accepted");
            assertEquals(List.of(-1, -1), c.disconnects().stream().map(d -> d.reasonCode)
                    .collect(Collectors.toList()), c.describe());
            assertTrue(c.disconnects().stream().allMatch(d -> d.reconnecting), c.describe());
        }
    }

    @Test
    void shouldSubscribeAgainWhenTheConnectionDroppedOnItsSubscribe(MockBroker broker) throws Exception {
        broker.faults("resub").dropOn(p -> p.type() == PacketType.SUBSCRIBE);
        try (ClientProbe c = new ClientProbe(broker, "resub").connect()) {
            MqttFuture<Integer> lost = c.subscribe("cmd/#", QoS.AT_LEAST_ONCE);
            assertThrows(MqttException.class,
                    () -> lost.get(5, TimeUnit.SECONDS), "the SUBSCRIBE died with its connection");
            assertTrue(c.awaitConnects(2));
            c.awaitUntil(() -> broker.subscriptions("resub").contains("cmd/#"), ClientProbe.TIMEOUT,
                    "the client to subscribe again by itself");
            broker.publish("cmd/1", "arrived", 1, false);
            assertEquals(List.of("cmd/1=arrived"), c.awaitMessages(1));
        }
    }

    @Test
    void shouldFindABlackHoledConnectionDeadByKeepAliveAndResendWhatWasSentIntoIt(MockBroker broker)
            throws Exception {
        broker.faults("hole").blackHoleOn(p -> p.type() == PacketType.PINGREQ);
        try (ClientProbe c = new ClientProbe(broker, "hole", b -> b.keepAlive(2, TimeUnit.SECONDS)).connect()) {
            RecordedPacket ping = broker.awaitReceived("hole", PacketType.PINGREQ);
            long intoTheHole = c.publish("data/hole", "lost?", QoS.AT_LEAST_ONCE);

            ClientProbe.Disconnect dead = c.awaitDisconnects(1, DEAD_AWAIT);
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, dead.reasonCode, dead.toString());
            assertTrue(dead.reconnecting, dead.toString());
            long deadAfterMs = TimeUnit.NANOSECONDS.toMillis(dead.atNs - ping.timestampNs());
            // Found by the keepalive (the reason code) in a bound generous enough for a loaded machine. That it is
            // within 1.5 x keepalive of the last packet received is proven on a virtual clock by
            // EngineTest.shouldPingWhenIdleAndCloseWhenPingrespNeverComes and
            // KeepAliveDayTest.shouldGiveUpWhenAcksAreOwedAndNothingArrivesForOneAndAHalfIntervals (sdk-core).
            assertTrue(deadAfterMs <= DEAD_BOUND_MS, "the last packet the broker read was the PINGREQ; declared dead "
                    + deadAfterMs + " ms later");
            System.out.printf("black hole: declared dead %d ms after the last packet got through (keepalive 2 s)%n",
                    deadAfterMs);

            assertTrue(c.awaitConnects(2));
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(intoTheHole));
            RecordedPacket resent = broker.awaitPublish("data/hole");
            assertTrue(resent.dup(), "the broker never read the first copy, the one it got is the DUP resend");
        }
    }

    @Test
    void shouldFindByKeepAliveAndReconnectWhenTheBrokerBlackHolesALiveConnection(MockBroker broker)
            throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "hole2", b -> b.keepAlive(2, TimeUnit.SECONDS)).connect()) {
            long before = System.nanoTime();
            broker.blackHole("hole2");
            ClientProbe.Disconnect dead = c.awaitDisconnects(1, DEAD_AWAIT);
            long deadAfterMs = TimeUnit.NANOSECONDS.toMillis(dead.atNs - before);
            // the broker keeps the black-holed socket open and silent: only the client's keepalive can tell
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, dead.reasonCode, dead.toString());
            // A failure bound for a loaded machine; within 1.5 x keepalive is proven on a virtual clock by
            // EngineTest.shouldPingWhenIdleAndCloseWhenPingrespNeverComes (sdk-core).
            assertTrue(deadAfterMs <= DEAD_BOUND_MS, "declared dead after " + deadAfterMs + " ms");
            System.out.printf("black hole (action): %s after %d ms (keepalive 2 s)%n", dead, deadAfterMs);
            assertTrue(c.awaitConnects(2));
            broker.awaitConnected("hole2");
        }
    }

    @ParameterizedTest(name = "DISCONNECT 0x{0}")
    @ValueSource(strings = {"00", "80", "81", "82", "83", "87", "89", "8B", "8D", "8E", "93", "97", "98", "9F", "A0"})
    void shouldReportTheServersDisconnectReasonAndReconnect(String hex, MockBroker broker) throws Exception {
        int code = Integer.parseInt(hex, 16);
        try (ClientProbe c = new ClientProbe(broker, "told").connect()) {
            broker.disconnect("told", code);
            ClientProbe.Disconnect d = c.awaitDisconnects(1);
            assertEquals(code, d.reasonCode, d.toString());
            assertTrue(d.reconnecting, d.toString());
            assertTrue(c.awaitConnects(2), "reconnected with the session");
            assertTrue(c.received(PacketType.DISCONNECT).isEmpty(), "the client does not answer a DISCONNECT");
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("data/after", "ok", QoS.AT_LEAST_ONCE)));
        }
    }

    @ParameterizedTest(name = "DISCONNECT 0x{0} with a Server Reference")
    @ValueSource(strings = {"9C", "9D"})
    void shouldReportServerReferenceCodesAndReconnectToTheSameServer(String hex, MockBroker broker) throws Exception {
        int code = Integer.parseInt(hex, 16);
        try (ClientProbe c = new ClientProbe(broker, "moved").connect()) {
            broker.disconnect("moved", code, "127.0.0.1:1");
            RecordedPacket sent = broker.awaitSent("moved", PacketType.DISCONNECT);
            assertEquals("127.0.0.1:1", sent.stringProperty(Property.SERVER_REFERENCE));
            ClientProbe.Disconnect d = c.awaitDisconnects(1);
            assertEquals(code, d.reasonCode, d.toString());
            assertTrue(d.reconnecting, d.toString());
            // Following is off by default: the client comes back to the server it knows, and says so.
            assertFalse(d.detail.contains("redirected"), d.toString());
            assertTrue(d.detail.endsWith("; the server suggests another server, 127.0.0.1:1, not followed: following "
                    + "is off (MqttClientBuilder.followServerReference(true) turns it on)"), d.toString());
            assertTrue(c.awaitConnects(2));
            assertEquals(2, c.received(PacketType.CONNECT).size());
        }
    }
}
