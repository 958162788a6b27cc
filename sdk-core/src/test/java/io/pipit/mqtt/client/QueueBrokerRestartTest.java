package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.MosquittoBroker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Broker restarts mid-stream: mosquitto with persistence is stopped (SIGTERM, so it saves what it has
 * acknowledged) and started again three times while 20,000 QoS 1 messages flow; publisher and subscriber keep
 * persistent sessions and reconnect by themselves. Nothing may be lost; messages published while the broker
 * is down wait in the client's queue.
 */
class QueueBrokerRestartTest {
    private static final int TOTAL = 20_000;
    private static final int RESTARTS = 3;

    @Test
    void shouldLoseNothingWhenTheBrokerRestartsMidStream() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(TOTAL);
        AtomicLong completed = new AtomicLong();
        AtomicInteger subscriberSessions = new AtomicInteger();
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).config("max_queued_messages 0")
                .startOrSkip();
                MqttClient subscriber = client(broker, "restart-sub").connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(boolean sessionPresent) {
                        subscriberSessions.addAndGet(sessionPresent ? 1 : 0);
                    }
                }).build();
                MqttClient publisher = client(broker, "restart-pub")
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build()) {
            subscriber.connect();
            subscriber.subscribe("restart/stream", QoS.AT_LEAST_ONCE, ledger).get(5, TimeUnit.SECONDS);
            publisher.connect();
            Thread producer = new Thread(() -> publishPaced(publisher), "restart-test-producer");
            producer.start();
            for (int restart = 1; restart <= RESTARTS; restart++) {
                long target = (long) TOTAL * restart / (RESTARTS + 1);
                DeliveryLedger.until(() -> completed.get() >= target, 30);
                broker.stop();
                Thread.sleep(200); // publishing goes on into the queue meanwhile
                broker.restart();
            }
            producer.join(60_000);
            int missing = ledger.awaitAll(60);
            assertEquals(0, missing, "missing ids, e.g. " + ledger.missingSample() + "\n" + broker.log());
            assertNull(ledger.disorder());
            assertTrue(subscriberSessions.get() >= RESTARTS, "the subscriber's session survived each restart");
            System.out.printf("broker restarts: %d messages, %d restarts, %d duplicates%n", TOTAL, RESTARTS,
                    ledger.duplicates());
        }
    }

    private static MqttClientBuilder client(MosquittoBroker broker, String id) {
        return MqttClient.builder().server("mqtt://127.0.0.1:" + broker.port()).clientId(id).cleanStart(false)
                .sessionExpiry(5, TimeUnit.MINUTES).automaticReconnect(true)
                .reconnectDelay(20, 100, TimeUnit.MILLISECONDS).keepAlive(5, TimeUnit.SECONDS);
    }

    private static void publishPaced(MqttClient publisher) {
        Topic topic = Topic.of("restart/stream");
        byte[] payload = new byte[8];
        try {
            for (long id = 0; id < TOTAL; id++) {
                DeliveryLedger.payload(id, payload);
                if (publisher.publish(topic, payload, 0, 8, QoS.AT_LEAST_ONCE) != id) {
                    throw new AssertionError("message " + id + " was not queued");
                }
                if (id % 16 == 0) {
                    Thread.sleep(1); // a steady stream, so restarts land mid-stream
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
