package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.driver.EventLoop;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The three ways to run a client: its own thread (elsewhere), a shared event loop, and poll mode. */
@ExtendWith(MosquittoPerClass.class)
class MqttClientDriversTest {
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    @Test
    void shouldServeManyClientsFromOneEventLoopThread() throws Exception {
        int clients = 20;
        AtomicInteger received = new AtomicInteger();
        try (EventLoop loop = new EventLoop("pipit-loop-test")) {
            MqttClient[] all = new MqttClient[clients];
            for (int i = 0; i < clients; i++) {
                all[i] = MqttClient.builder().server(broker.uri()).clientId("loop-" + i).eventLoop(loop).build();
                all[i].connect();
                all[i].subscribe("loop/" + i, QoS.AT_LEAST_ONCE, m -> received.incrementAndGet())
                        .get(5, TimeUnit.SECONDS);
            }
            // Counted by name, not Thread.activeCount(): other threads of the JVM (a pool worker idling out, an
            // earlier test's I/O thread ending) come and go at their own pace.
            assertEquals(1, threadsNamed("pipit-loop-test"), "one loop thread for " + clients + " clients");
            assertEquals(0, threadsNamed("pipit-io-loop-"), "no I/O thread of a client's own");
            byte[] payload = {1};
            for (int i = 0; i < clients; i++) {
                all[(i + 1) % clients].publish(Topic.of("loop/" + i), payload, 0, 1, QoS.AT_LEAST_ONCE);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < clients && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(clients, received.get());
            assertEquals(clients, loop.clientCount());
            for (MqttClient client : all) {
                client.close();
            }
        }
    }

    @Test
    void shouldRunWithNoSdkThreadInPollMode() throws Exception {
        AtomicInteger received = new AtomicInteger();
        try (MqttClient client = MqttClient.builder().server(broker.uri()).clientId("poller").pollMode().build()) {
            client.connect(); // polls while it waits
            MqttFuture<Integer> granted = client.subscribe("poll/#", QoS.EXACTLY_ONCE, m -> received.incrementAndGet());
            while (!granted.isDone()) {
                client.poll(10, TimeUnit.MILLISECONDS);
            }
            assertEquals(2, granted.get(0, TimeUnit.MILLISECONDS));
            assertEquals(0, threadsNamed("pipit-"), "poll mode starts no thread");
            byte[] payload = {42};
            for (int i = 0; i < 100; i++) {
                client.publish(Topic.of("poll/x"), payload, 0, 1, QoS.EXACTLY_ONCE);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < 100 && System.nanoTime() < deadline) {
                client.poll(10, TimeUnit.MILLISECONDS);
            }
            assertEquals(100, received.get());
        }
    }

    @Test
    void shouldRefusePollWhenTheClientHasItsOwnThread() throws Exception {
        try (MqttClient client = MqttClient.builder().server(broker.uri()).clientId("threaded").build()) {
            assertThrows(UnsupportedOperationException.class, () -> client.poll(1, TimeUnit.MILLISECONDS));
            assertEquals(0, client.queuedCount());
        }
    }

    /** @return live threads whose name starts with {@code prefix} */
    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix)).count();
    }
}
