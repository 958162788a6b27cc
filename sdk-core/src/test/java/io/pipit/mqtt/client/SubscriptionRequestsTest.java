package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.driver.ClientConnection;
import io.pipit.mqtt.driver.ConnectionEvents;
import io.pipit.mqtt.driver.Driver;
import io.pipit.mqtt.driver.ServerAddress;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Subscription requests are checked on the caller's thread, and a request the engine still refuses fails its future
 * on the I/O thread instead of throwing there (which would stop the client). No network: the commands run when the
 * test works the connection by hand.
 */
class SubscriptionRequestsTest {
    private static final ConnectionEvents NO_EVENTS = new ConnectionEvents() {
        @Override
        public void onConnected(ConnackView connack) {
        }

        @Override
        public void onConnectionLost(int reasonCode, String detail, boolean willRetry) {
        }

        @Override
        public void onPublishCompleted(long sequence, int reasonCode) {
        }

        @Override
        public void onSubscriptionAck(int packetId, SubackView ack) {
        }
    };

    /** The test's own thread runs the connection's work by hand and waits on nothing. */
    private static final Driver NO_DRIVER = new DrivenBy(null);

    private final ClientConnection connection = new ClientConnection(
            new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("c1"), 16, 0,
            new MemoryQueue(4096, 10), new ServerAddress[] {ServerAddress.parse("mqtt://127.0.0.1:1")},
            new Backoff(1_000_000L, 2_000_000L, new Random(1)), 1_000_000_000L, false, 4096, NO_EVENTS);
    private final SubscriptionRequests requests = new SubscriptionRequests(connection, NO_DRIVER);

    @Test
    void shouldFailTheFutureOfARequestTheEngineRefusesInsteadOfThrowingOnTheIoThread() throws Exception {
        MqttFuture<Integer> refused = requests.send(() -> {
            throw new IllegalArgumentException("not a filter the engine takes");
        });
        connection.doWork(0); // the I/O thread's unit of work runs the request: it must not throw
        assertTrue(refused.isDone());
        MqttException e = assertThrows(MqttException.class, () -> refused.get(1, TimeUnit.SECONDS));
        assertEquals("request refused: not a filter the engine takes", e.getMessage());
    }

    @Test
    void shouldRefuseNoLocalOnASharedFilterOnTheCallersThread() {
        byte[] shared = "$share/g/t".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubscriptionRequests.checkedOptions(shared, QoS.AT_LEAST_ONCE, true, false, 0));
        assertEquals("No Local must not be set on a shared subscription ($share/g/t): a Protocol Error by "
                + "MQTT-3.8.3-4", e.getMessage());
        assertEquals(0b1101, SubscriptionRequests.checkedOptions("t".getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE, true, true, 0), "No Local and Retain As Published on a plain filter");
    }
}
