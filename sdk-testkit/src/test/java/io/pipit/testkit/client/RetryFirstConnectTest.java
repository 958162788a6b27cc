package io.pipit.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttFuture;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.testkit.MockBroker;
import io.pipit.testkit.MockBrokerTest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code retryFirstConnect(true)}, against the pipit client: a first connect that fails is retried with the
 * reconnect backoff (the probe's 20–100 ms) and {@code connect()} returns once the server lets the client in; when
 * the connect timeout passes first, {@code connect()} throws with the last attempt's reason and the attempts go on
 * until one succeeds; {@code close()} stops them and fails a connect still waiting. Without the option a failed first
 * connect stays final ({@code ConnectRefusalTest}).
 */
@MockBrokerTest
final class RetryFirstConnectTest {
    /** Longer than the probe's largest reconnect delay (100 ms), so another attempt would show within it. */
    private static final Duration NO_RETRY_WINDOW = Duration.ofMillis(300);

    @Test
    void shouldRetryAFailingFirstConnectUntilTheServerLetsTheClientIn(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.SERVER_UNAVAILABLE, null, 2);
        try (ClientProbe c = new ClientProbe(broker, "patient", b -> b.retryFirstConnect(true))) {
            c.client.connect(); // refused twice, then in
            assertTrue(c.client.isConnected());
            assertEquals(3, c.received(PacketType.CONNECT).size(), c.report());
            assertEquals(2, c.disconnects().size(), c.describe());
            for (ClientProbe.Disconnect d : c.disconnects()) {
                assertEquals(ReasonCode.SERVER_UNAVAILABLE, d.reasonCode, d.toString());
                assertTrue(d.reconnecting, "each failed attempt is reported as one to be retried: " + d);
            }
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(c.publish("first/ok", "in", QoS.AT_LEAST_ONCE)));
        }
    }

    @Test
    void shouldThrowAtTheConnectTimeoutWithTheLastReasonAndGoOnTrying(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.SERVER_UNAVAILABLE);
        try (ClientProbe c = new ClientProbe(broker, "waiting",
                b -> b.retryFirstConnect(true).connectTimeout(1, TimeUnit.SECONDS))) {
            long queued = c.publish("first/later", "queued while refused", QoS.AT_LEAST_ONCE);
            MqttException e = assertThrows(MqttException.class, c.client::connect);
            assertEquals(ReasonCode.SERVER_UNAVAILABLE, e.reasonCode(), e.toString());
            assertTrue(e.getMessage().contains("still retrying"), e.getMessage());
            int attempts = c.received(PacketType.CONNECT).size();
            assertTrue(attempts >= 1, c.report());

            c.awaitUntil(() -> c.received(PacketType.CONNECT).size() > attempts, ClientProbe.TIMEOUT,
                    "attempts after connect() threw");
            broker.faults().clear(); // the server lets it in at last
            assertFalse(c.awaitConnects(1), "a first connection: no session yet");
            assertEquals(ReasonCode.SUCCESS, c.awaitCompleted(queued), "what was queued goes out");
        }
    }

    @Test
    void shouldStopRetryingAndFailTheWaitingConnectOnClose(MockBroker broker) throws Exception {
        broker.faults().refuseConnect(ReasonCode.SERVER_UNAVAILABLE);
        ClientProbe c = new ClientProbe(broker, "closing", b -> b.retryFirstConnect(true));
        MqttFuture<Void> connecting = c.client.connectAsync();
        c.awaitUntil(() -> c.received(PacketType.CONNECT).size() >= 2, ClientProbe.TIMEOUT, "two attempts");
        c.close();
        MqttException e = assertThrows(MqttException.class, () -> connecting.get(5, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("closed before it connected"), e.getMessage());
        int attempts = c.received(PacketType.CONNECT).size();
        c.assertStaysFalse(() -> c.received(PacketType.CONNECT).size() > attempts, NO_RETRY_WINDOW,
                "an attempt after close()");
    }

    @Test
    void shouldNeedAutomaticReconnect() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MqttClient.builder()
                .server("mqtt://127.0.0.1:1883").retryFirstConnect(true).build());
        assertTrue(e.getMessage().contains("automaticReconnect(true)"), e.getMessage());
    }
}
