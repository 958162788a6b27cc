package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.testing.RabbitMqBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ 3.10 speaks only MQTT 3.1.1: it closes the connection on an MQTT 5 CONNECT without any CONNACK, and on
 * any packet it cannot parse. A client with the default protocol (5.0, falling back) that subscribes, unsubscribes
 * and publishes before {@code connect()}, as the {@code pipit sub} command does, must send all of it in 3.1.1 form
 * after the fallback: the SUBSCRIBE used to carry a Subscription Identifier, RabbitMQ closed the connection on it,
 * and the futures had already failed with the refused 5.0 attempt's "does not speak MQTT 5.0".
 */
final class RabbitMqFallbackTest {
    private static RabbitMqBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = RabbitMqBroker.startOrSkip();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSendRequestsMadeBeforeConnectIn311FormAfterTheFallback() throws Exception {
        final Inbox inbox = new Inbox();
        final List<String> disconnects = Collections.synchronizedList(new ArrayList<>());
        try (MqttClient client = MqttClient.builder().server(broker.uri()).clientId("rr-early")
                .connectTimeout(Clients.WAIT_S, TimeUnit.SECONDS).automaticReconnect(true)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                        disconnects.add(String.format("0x%02X reconnecting=%s", reasonCode, reconnecting));
                    }
                }).build()) {
            final MqttFuture<Integer> subscribed = client.subscribe("rr/q1", QoS.AT_LEAST_ONCE, inbox);
            final MqttFuture<Integer> unsubscribed = client.unsubscribe("rr/old");
            final byte[] queued = "queued before connect".getBytes(StandardCharsets.UTF_8);
            final long sequence = client.publish(Topic.of("rr/q1"), queued, 0, queued.length, QoS.AT_LEAST_ONCE,
                    false, new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 600).addUserProperty("k", "v"));
            assertTrue(sequence >= 0, "queued");
            client.connect();
            assertEquals(ProtocolVersion.MQTT_3_1_1, client.protocolVersion());

            assertEquals(1, subscribed.get(Clients.WAIT_S, TimeUnit.SECONDS), "granted QoS 1");
            assertEquals(ReasonCode.SUCCESS, unsubscribed.get(Clients.WAIT_S, TimeUnit.SECONDS));
            assertEquals("queued before connect", inbox.next("queued before connect", Clients.WAIT_S).text());
            final byte[] later = "later".getBytes(StandardCharsets.UTF_8);
            client.publish(Topic.of("rr/q1"), later, 0, later.length, QoS.AT_LEAST_ONCE);
            final Inbox.Received received = inbox.next("published after connect", Clients.WAIT_S);
            assertEquals("later", received.text());
            assertEquals(1, received.qos());

            assertTrue(client.isConnected());
            assertEquals(List.of("0x84 reconnecting=true"), disconnects, "only the refused 5.0 attempt ended");
        }
    }
}
