package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.driver.EventLoop;
import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import io.pipit.mqtt.keepalive.ReconnectCause;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet on one {@link EventLoop}, where each cycle serves only the clients with something to do: every client
 * still connects, exchanges messages, keeps its keepalive from its own timer, and one whose path dies is found and
 * reconnected while the rest stay idle.
 */
@ExtendWith(MosquittoPerClass.class)
class EventLoopMosquittoTest {
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    private static MqttClientBuilder device(String id, String uri, EventLoop loop) {
        return MqttClient.builder().server(uri).clientId(id).eventLoop(loop).maximumPacketSize(1024)
                .queue(new MemoryQueue(2048, 16)).connectTimeout(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldConnectAndServeThreeHundredClientsFromOneLoop() throws Exception {
        int count = 300;
        AtomicInteger received = new AtomicInteger();
        AtomicLong completed = new AtomicLong();
        MqttClient[] clients = new MqttClient[count];
        try (EventLoop loop = new EventLoop("pipit-fleet-test")) {
            for (int i = 0; i < count; i++) {
                clients[i] = device("fleet-" + i, broker.uri(), loop)
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build();
                clients[i].connect();
            }
            assertEquals(count, loop.clientCount());
            for (int i = 0; i < count; i += 10) { // every tenth listens; the others only talk
                clients[i].subscribe("fleet/" + i, QoS.AT_LEAST_ONCE, m -> received.incrementAndGet())
                        .get(5, TimeUnit.SECONDS);
            }
            byte[] payload = {42};
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < count; i++) {
                    Topic topic = Topic.of("fleet/" + (i / 10 * 10));
                    assertTrue(clients[i].publish(topic, payload, 0, 1, QoS.AT_LEAST_ONCE) >= 0, "queued");
                }
            }
            waitFor(() -> completed.get() == 3L * count && received.get() == 3 * count, 20_000);
            assertEquals(3L * count, completed.get(), "every QoS 1 publish acknowledged");
            assertEquals(3 * count, received.get(), "every message delivered");
            for (MqttClient client : clients) {
                client.close();
            }
            waitFor(() -> loop.clientCount() == 0, 5_000);
        }
    }

    @Test
    void shouldRunEachClientsTimersAndReconnectOnlyTheOneWhosePathDied() throws Exception {
        int idle = 40;
        MqttClient[] clients = new MqttClient[idle];
        try (EventLoop loop = new EventLoop("pipit-timer-test");
                FaultProxy proxy = FaultProxy.start(broker.port())) {
            for (int i = 0; i < idle; i++) {
                // A 1 s keepalive keeps every idle client's timer busy; a 10 s ping timeout keeps a stall of the
                // loop or the broker on a loaded machine from counting as a dead path, which would be a reconnect
                // this test does not cause.
                clients[i] = device("idle-" + i, broker.uri(), loop)
                        .keepAlive(KeepAlivePolicy.fixed(1, TimeUnit.SECONDS).pingTimeout(10, TimeUnit.SECONDS))
                        .build();
                clients[i].connect();
            }
            AtomicInteger connects = new AtomicInteger();
            try (MqttClient proxied = device("proxied", proxy.uri(), loop).keepAlive(1, TimeUnit.SECONDS)
                    .automaticReconnect(true).reconnectDelay(50, 200, TimeUnit.MILLISECONDS)
                    .connectTimeout(3, TimeUnit.SECONDS) // a CONNECT swallowed by the black hole is retried soon
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void onConnected(boolean sessionPresent) {
                            connects.incrementAndGet();
                        }
                    }).build()) {
                proxied.connect();
                waitFor(() -> allPinged(clients) && proxied.health().pingsAnswered() >= 1, 20_000);

                proxy.blackHole(true);
                waitFor(() -> proxied.health().reconnects(ReconnectCause.KEEPALIVE_TIMEOUT) >= 1, 15_000);
                proxy.blackHole(false);
                waitFor(() -> connects.get() >= 2 && proxied.isConnected(), 20_000);
                // a CONNECT the black hole swallowed timed out and counted as one more reconnect: count from here
                long reconnectsBeforeCut = proxied.health().reconnects();
                int connectsBeforeCut = connects.get();
                proxy.cut();
                waitFor(() -> proxied.health().reconnects() > reconnectsBeforeCut && connects.get() > connectsBeforeCut,
                        20_000);

                for (MqttClient client : clients) {
                    assertTrue(client.isConnected(), client + " stayed connected");
                    assertEquals(0, client.health().reconnects(), client.health().toString());
                }
            } finally {
                for (MqttClient client : clients) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
        }
    }

    private static boolean allPinged(MqttClient[] clients) {
        for (MqttClient client : clients) {
            if (client.health().pingsAnswered() < 1) {
                return false;
            }
        }
        return true;
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met within " + timeoutMs + " ms");
            Thread.sleep(20);
        }
    }
}
