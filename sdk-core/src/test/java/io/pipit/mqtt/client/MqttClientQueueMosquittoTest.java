package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.queue.DropCause;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.queue.QueueClock;
import io.pipit.mqtt.queue.QueueOptions;
import io.pipit.mqtt.queue.QueueStats;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Queue policies seen through the client and a real broker: QoS 0 offline, Message Expiry, statistics. */
@ExtendWith(MosquittoPerClass.class)
class MqttClientQueueMosquittoTest {
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    private static MqttClient subscribe(String id, String filter, List<String> received) throws Exception {
        MqttClient subscriber = MqttClient.builder().server("mqtt://127.0.0.1:" + broker.port()).clientId(id)
                .build();
        subscriber.connect();
        subscriber.subscribe(filter, QoS.AT_LEAST_ONCE, message -> received.add(message.payloadAsString()
                + (message.properties().has(Property.MESSAGE_EXPIRY_INTERVAL)
                        ? " expiry=" + message.properties().number(Property.MESSAGE_EXPIRY_INTERVAL, -1) : "")))
                .get(5, TimeUnit.SECONDS);
        return subscriber;
    }

    private static long publish(MqttClient client, String topic, String text, QoS qos, MqttProperties properties) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return client.publish(Topic.of(topic), payload, 0, payload.length, qos, false, properties);
    }

    @Test
    void shouldDropQos0PublishedOfflineWhenAskedAndQueueTheRest() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> drops = Collections.synchronizedList(new ArrayList<>());
        MemoryQueue queue = new MemoryQueue(new QueueOptions().excludeQos0Offline(true)
                .dropListener((sequence, cause) -> drops.add(sequence + ":" + cause)));
        try (MqttClient subscriber = subscribe("q0-sub", "q0/#", received);
                MqttClient publisher = MqttClient.builder().server("mqtt://127.0.0.1:" + broker.port())
                        .clientId("q0-pub").queue(queue).build()) {
            assertTrue(subscriber.isConnected());
            assertEquals(-1, publish(publisher, "q0/t", "offline-0", QoS.AT_MOST_ONCE, null));
            assertEquals(0, publish(publisher, "q0/t", "offline-1", QoS.AT_LEAST_ONCE, null));
            publisher.connect();
            assertEquals(1, publish(publisher, "q0/t", "online-0", QoS.AT_MOST_ONCE, null));
            assertTrue(DeliveryLedger.until(() -> received.size() == 2, 5), received.toString());
            assertEquals(List.of("offline-1", "online-0"), received);
            assertEquals(List.of("-1:QOS0_OFFLINE"), drops);
            assertEquals(1, publisher.queueStats(new QueueStats()).drops(DropCause.QOS0_OFFLINE));
        }
    }

    @Test
    void shouldDropMessagesThatExpiredOfflineAndSendTheOthersWithTheTimeLeft() throws Exception {
        AtomicLong nowMs = new AtomicLong(1_000_000);
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> drops = Collections.synchronizedList(new ArrayList<>());
        QueueClock clock = nowMs::get;
        MemoryQueue queue = new MemoryQueue(new QueueOptions().clock(clock)
                .dropListener((sequence, cause) -> drops.add(sequence + ":" + cause)));
        try (MqttClient subscriber = subscribe("exp-sub", "exp/#", received);
                MqttClient publisher = MqttClient.builder().server("mqtt://127.0.0.1:" + broker.port())
                        .clientId("exp-pub").queue(queue).build()) {
            assertTrue(subscriber.isConnected());
            publish(publisher, "exp/t", "short", QoS.AT_LEAST_ONCE,
                    new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 5));
            publish(publisher, "exp/t", "long", QoS.AT_LEAST_ONCE,
                    new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 60));
            QueueStats stats = publisher.queueStats(new QueueStats());
            assertEquals(2, stats.depthMessages());
            nowMs.addAndGet(12_000); // offline for 12 s
            assertEquals(12_000, publisher.queueStats(stats).oldestAgeMs());
            publisher.connect();
            assertTrue(DeliveryLedger.until(() -> received.size() == 1, 5), received.toString());
            String delivered = received.get(0);
            assertTrue(delivered.startsWith("long expiry="), delivered);
            long left = Long.parseLong(delivered.substring("long expiry=".length()));
            // at most 48 s: the 12 s spent queued came off; the floor is loose, since mosquitto takes off the whole
            // seconds it held the message itself, which a loaded machine can stretch
            assertTrue(left <= 48 && left >= 30, "60 s less the 12 s queued (less broker time): " + left);
            assertEquals(List.of("0:EXPIRED"), drops);
        }
    }
}
