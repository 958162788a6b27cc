package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.queue.MemoryQueue;
import io.pipit.mqtt.queue.QueueStats;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The publish that waits for room in a full queue: it sleeps instead of refusing, and gives up only on time. */
@ExtendWith(MosquittoPerClass.class)
class WaitingPublishTest {
    private static final Topic TOPIC = Topic.of("waiting/t");
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    @Test
    void shouldDeliverEverythingThroughATinyQueueWithoutARefusal() throws Exception {
        int count = 3_000;
        AtomicInteger received = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        try (MqttClient subscriber = MqttClient.builder().server(broker.uri()).clientId("waiting-sub").build();
                MqttClient publisher = MqttClient.builder().server(broker.uri()).clientId("waiting-pub")
                        .queue(new MemoryQueue(1024, 4)).build()) {
            subscriber.connect();
            subscriber.subscribe("waiting/t", QoS.AT_LEAST_ONCE, message -> {
                if (message.payloadBuffer().getInt(message.payloadOffset()) != received.getAndIncrement()) {
                    outOfOrder.incrementAndGet();
                }
            }).get(5, TimeUnit.SECONDS);
            publisher.connect();
            byte[] payload = new byte[4];
            for (int i = 0; i < count; i++) {
                ByteBuffer.wrap(payload).putInt(0, i);
                long sequence = publisher.publish(TOPIC, payload, 0, 4, QoS.AT_LEAST_ONCE, false, null, 5,
                        TimeUnit.SECONDS);
                assertTrue(sequence >= 0, "publish " + i + " found room within 5 s");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(count, received.get(), "every message delivered");
            assertEquals(0, outOfOrder.get(), "in order");
        }
    }

    @Test
    void shouldGiveUpAfterItsTimeoutAndStopWhenInterrupted() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient publisher = MqttClient.builder().server(proxy.uri()).clientId("waiting-stuck")
                        .maxInflight(1).queue(new MemoryQueue(1024, 2)).build()) {
            publisher.connect();
            proxy.blackHole(true); // nothing is acknowledged: the window and then the queue fill up
            byte[] payload = {1};
            int accepted = 0;
            long fillDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            // until the I/O thread has moved one into the window, however long it takes to be scheduled
            while (accepted < 3 && System.nanoTime() - fillDeadline < 0) {
                while (publisher.publish(TOPIC, payload, 0, 1, QoS.AT_LEAST_ONCE) >= 0) {
                    accepted++;
                }
                if (accepted < 3) {
                    Thread.sleep(20);
                }
            }
            assertEquals(3, accepted, "one in flight and two queued, then refused");
            assertEquals(-1, publisher.publish(TOPIC, payload, 0, 1, QoS.AT_LEAST_ONCE), "and full it stays");
            int depth = publisher.queueStats(new QueueStats()).depthMessages();

            long startNs = System.nanoTime();
            long sequence = publisher.publish(TOPIC, payload, 0, 1, QoS.AT_LEAST_ONCE, false, null, 300,
                    TimeUnit.MILLISECONDS);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertEquals(-1, sequence, "still full after the timeout");
            assertTrue(waitedMs >= 300, "waited " + waitedMs + " ms");

            Thread caller = Thread.currentThread();
            CompletableFuture<Void> interrupter = CompletableFuture.runAsync(() -> {
                sleepQuietly(200);
                caller.interrupt();
            });
            assertThrows(InterruptedException.class, () -> publisher.publish(TOPIC, payload, 0, 1,
                    QoS.AT_LEAST_ONCE, false, null, 10, TimeUnit.SECONDS));
            awaitQuietly(interrupter);
            assertEquals(depth, publisher.queueStats(new QueueStats()).depthMessages(),
                    "the interrupted publish queued nothing");
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the interrupting thread failed", e);
        }
    }
}
