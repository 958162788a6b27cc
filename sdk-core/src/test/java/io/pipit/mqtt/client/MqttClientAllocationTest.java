package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The zero-allocation contract end to end: publishing and receiving through mosquitto on loopback allocates
 * (almost) nothing on the caller's thread and on both clients' I/O threads, counted in bytes by the JVM.
 */
@ExtendWith(MosquittoPerClass.class)
class MqttClientAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int MESSAGES = 100_000;

    private static MosquittoBroker broker;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final byte[] payload = new byte[64];
    private final Topic topic = Topic.of("alloc/sensor-42/temp");

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    @Test
    void shouldPublishAndReceiveQos0AndQos1WithoutAllocating() throws Exception {
        try (MqttClient subscriber = MqttClient.builder().server(broker.uri()).clientId("alloc-sub").build();
                MqttClient publisher = MqttClient.builder().server(broker.uri()).clientId("alloc-pub")
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build()) {
            subscriber.connect();
            subscriber.subscribe("alloc/#", QoS.AT_LEAST_ONCE, message -> received.incrementAndGet())
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            long[] threads = {Thread.currentThread().getId(), ioThread("alloc-sub"), ioThread("alloc-pub")};

            exchange(publisher, QoS.AT_MOST_ONCE, 150_000); // warm-up: JIT, buffers, selector keys
            exchange(publisher, QoS.AT_LEAST_ONCE, 150_000);
            long[] perThreadBefore = THREADS.getThreadAllocatedBytes(threads);
            long before = allocated(threads);
            exchange(publisher, QoS.AT_MOST_ONCE, MESSAGES);
            exchange(publisher, QoS.AT_LEAST_ONCE, MESSAGES);
            long[] perThread = THREADS.getThreadAllocatedBytes(threads);
            long bytes = allocated(threads) - before;

            assertTrue(bytes < 1024, "allocated " + bytes + " bytes for " + 2 * MESSAGES
                    + " messages published and received (caller, subscriber I/O, publisher I/O: "
                    + (perThread[0] - perThreadBefore[0]) + ", " + (perThread[1] - perThreadBefore[1]) + ", "
                    + (perThread[2] - perThreadBefore[2]) + ")");
        }
    }

    /** Publishes {@code count} messages, then waits until all are completed and received. */
    private void exchange(MqttClient publisher, QoS qos, int count) throws InterruptedException {
        long receivedTarget = received.get() + count;
        long completedTarget = completed.get() + count;
        for (int i = 0; i < count; i++) {
            while (publisher.publish(topic, payload, 0, payload.length, qos) < 0) {
                Thread.yield(); // queue full: the I/O thread is draining it
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((received.get() < receivedTarget || completed.get() < completedTarget) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(completedTarget, completed.get(), "publishes completed");
        assertEquals(receivedTarget, received.get(), "messages received"); // QoS 0 on loopback: none lost
    }

    private static long ioThread(String clientId) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("pipit-io-" + clientId)) {
                return thread.getId();
            }
        }
        throw new AssertionError("no I/O thread for " + clientId);
    }

    private static long allocated(long[] threadIds) {
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(threadIds)) {
            sum += bytes;
        }
        return sum;
    }
}
