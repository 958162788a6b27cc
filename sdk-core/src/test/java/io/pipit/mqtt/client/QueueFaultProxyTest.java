package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 100,000 QoS 1 messages through a fault proxy that cuts the connection at 50 random points and black-holes it
 * at 3 more (half-open: only keepalive notices); the subscriber on mosquitto must receive every one, first
 * arrivals in publishing order, duplicates counted.
 */
class QueueFaultProxyTest {
    private static final int TOTAL = 100_000;
    private static final int CUTS = 50;
    private static final int BLACK_HOLES = 3;

    @Test
    void shouldDeliverEveryQos1MessageInOrderThroughCutsAndBlackHoles() throws Exception {
        Random random = new Random(6);
        long[] faults = new long[CUTS + BLACK_HOLES];
        for (int i = 0; i < faults.length; i++) {
            faults[i] = 1_000 + random.nextInt(TOTAL - 5_000);
        }
        Arrays.sort(faults);
        boolean[] blackHole = new boolean[faults.length];
        for (int i = 0; i < BLACK_HOLES; i++) {
            blackHole[random.nextInt(faults.length)] = true; // may repeat: then more cuts than 50, not fewer
        }
        DeliveryLedger ledger = new DeliveryLedger(TOTAL);
        AtomicLong completed = new AtomicLong();
        AtomicInteger drops = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger connections = new AtomicInteger();
        try (MosquittoBroker broker = MosquittoBroker.builder().config("max_queued_messages 0").startOrSkip();
                FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = MqttClient.builder().server(broker.uri().replace("tcp:", "mqtt:"))
                        .clientId("proxy-sub").build();
                MqttClient publisher = MqttClient.builder().server("mqtt://127.0.0.1:" + proxy.port())
                        .clientId("proxy-pub").cleanStart(false).sessionExpiry(5, TimeUnit.MINUTES)
                        .keepAlive(1, TimeUnit.SECONDS).automaticReconnect(true)
                        .reconnectDelay(5, 50, TimeUnit.MILLISECONDS).queue(new MemoryQueue(16 << 20, TOTAL))
                        .connectionListener(new ConnectionListener() {
                            @Override
                            public void onConnected(boolean sessionPresent) {
                                connections.incrementAndGet();
                                connected.set(true);
                            }

                            @Override
                            public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                                connected.set(false);
                                drops.incrementAndGet();
                            }
                        })
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build()) {
            subscriber.connect();
            subscriber.subscribe("proxy/stream", QoS.AT_LEAST_ONCE, ledger).get(5, TimeUnit.SECONDS);
            publisher.connect();
            Thread producer = new Thread(() -> publishAll(publisher), "proxy-test-producer");
            producer.start();
            int cuts = 0;
            int connectionsAtLastFault = 0;
            for (int i = 0; i < faults.length; i++) {
                long target = faults[i];
                DeliveryLedger.until(() -> completed.get() >= target, 30);
                // Two faults close together must not both fall on one connection (or in the reconnect gap, where
                // there is nothing to cut): wait for a connection made after the last fault. "Connected" alone is
                // still true for a moment after a cut, until the I/O thread has seen it.
                int previous = connectionsAtLastFault;
                DeliveryLedger.until(() -> connections.get() > previous && connected.get(), 30);
                connectionsAtLastFault = connections.get();
                if (blackHole[i]) {
                    int before = drops.get();
                    proxy.blackHole(true);
                    DeliveryLedger.until(() -> drops.get() > before, 10); // keepalive: no PINGRESP within 1.5 s
                    proxy.blackHole(false);
                } else {
                    proxy.cut();
                    cuts++;
                }
            }
            producer.join(60_000);
            int missing = ledger.awaitAll(60);
            assertEquals(0, missing, "missing ids, e.g. " + ledger.missingSample());
            assertTrue(cuts >= CUTS, cuts + " cuts");
            assertTrue(drops.get() >= CUTS + 1, "the client saw the faults: " + drops.get());
            assertNull(ledger.disorder());
            System.out.printf("fault proxy: %d messages, %d cuts, %d black-holes, %d connections, %d duplicates%n",
                    TOTAL, cuts, faults.length - cuts, proxy.connectionCount(), ledger.duplicates());
        }
    }

    private static void publishAll(MqttClient publisher) {
        Topic topic = Topic.of("proxy/stream");
        byte[] payload = new byte[8];
        for (long id = 0; id < TOTAL; id++) {
            DeliveryLedger.payload(id, payload);
            if (publisher.publish(topic, payload, 0, 8, QoS.AT_LEAST_ONCE) != id) {
                throw new AssertionError("message " + id + " was not queued");
            }
            if (id % 64 == 0) {
                Thread.yield();
            }
        }
    }
}
