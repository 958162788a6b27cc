package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests made before the first CONNACK, against a {@link MockBroker} that speaks only MQTT 3.1.1 and the pipit
 * client with its default protocol (5.0, falling back). Proves that a SUBSCRIBE, an UNSUBSCRIBE and a publish made
 * before {@code connect()} reach the broker in 3.1.1 form after the fallback (no MQTT 5 properties, which such a
 * broker cannot parse), that their futures complete from the 3.1.1 connection's acknowledgements instead of failing
 * with the refused 5.0 attempt's reason, and that the subscription then delivers; and that such a request, kept
 * across a lost connection, still fails (never hangs) when the client stops before any connection took it.
 */
final class FallbackRequestsTest {
    private final MockBroker broker = MockBroker.builder().mqtt311Only(true).start();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void shouldSendRequestsMadeBeforeConnectIn311FormAfterTheFallback() throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "early", b -> b.cleanStart(true))) {
            MqttFuture<Integer> subscribed = c.subscribe("rr/q1", QoS.AT_LEAST_ONCE);
            MqttFuture<Integer> unsubscribed = c.client.unsubscribe("rr/old");
            byte[] queued = "queued before connect".getBytes(StandardCharsets.UTF_8);
            long sequence = c.client.publish(Topic.of("rr/q1"), queued, 0, queued.length, QoS.AT_LEAST_ONCE, false,
                    new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 600).addUserProperty("k", "v"));
            c.client.connect();
            assertEquals(ProtocolVersion.MQTT_3_1_1, c.client.protocolVersion());

            assertEquals(1, subscribed.get(5, TimeUnit.SECONDS), "granted QoS 1, not the refused 5.0 attempt's 0x84");
            assertEquals(ReasonCode.SUCCESS, unsubscribed.get(5, TimeUnit.SECONDS)); // 3.1.1 UNSUBACK: no code
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(sequence));
            assertEquals(List.of("rr/q1=queued before connect"), c.awaitMessages(1), "routed back to us");

            List<RecordedPacket> connects = c.received(PacketType.CONNECT);
            assertEquals(List.of(true, false), connects.stream().map(RecordedPacket::mqtt5)
                    .collect(Collectors.toList()), "5.0 refused, then 3.1.1");
            RecordedPacket subscribe = c.received(PacketType.SUBSCRIBE).get(0);
            assertFalse(subscribe.mqtt5());
            assertEquals(List.of("rr/q1"), subscribe.topicFilters());
            assertEquals(List.of(1), subscribe.subscriptionOptions());
            assertEquals(List.of("rr/old"), c.received(PacketType.UNSUBSCRIBE).get(0).topicFilters());
            assertTrue(broker.packets().stream().allMatch(p -> p.malformed() == null), c.report());
            assertEquals(List.of("rr/q1"), broker.subscriptions("early"));

            broker.publish("rr/q1", "later", 1, false);
            assertEquals("rr/q1=later", c.awaitMessages(2).get(1));
        }
    }

    @Test
    void shouldFailARequestNeverSentWhenTheClientStopsBetweenConnections() throws Exception {
        try (ClientProbe c = new ClientProbe(broker, "stopping", b -> b.cleanStart(true)).connect()) {
            broker.faults("stopping").refuseConnect(ReasonCode.SERVER_UNAVAILABLE); // every reconnect refused
            broker.drop("stopping");
            c.awaitDisconnects(1);
            MqttFuture<Integer> never = c.subscribe("late/#", QoS.AT_LEAST_ONCE);
            c.awaitDisconnects(2); // a refused reconnect: the request still waits for a connection
            assertFalse(never.isDone(), "kept for the next connection, not failed with this one");

            c.client.close();
            MqttException e = assertThrows(MqttException.class, () -> never.get(5, TimeUnit.SECONDS));
            assertTrue(e.getMessage().startsWith("connection lost: "), e.getMessage());
            assertTrue(c.received(PacketType.SUBSCRIBE).isEmpty(), c.report());
        }
    }
}
