package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.HiveMqBroker;
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
@ExtendWith({MosquittoPerClass.class, HiveMqBroker.Extension.class})
class MqttClientAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MqttClientAllocationTest.class);
    private static final int MESSAGES = 100_000;

    private static MosquittoBroker broker;

    /** Messages published before waiting for them all; a broker with a bounded client queue needs a window. */
    private int window = Integer.MAX_VALUE;

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
        measure(broker.uri(), "alloc", QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE, 150_000, MESSAGES);
    }

    /**
     * The same over {@code ws://} (HiveMQ, as Debian's mosquitto has no WebSocket listener): framing, masking and
     * unframing add no allocation. QoS 1 and 2, since HiveMQ sheds QoS 0 messages a fast publisher outruns.
     */
    @Test
    void shouldPublishAndReceiveQos1AndQos2OverWebSocketWithoutAllocating(HiveMqBroker hivemq) throws Exception {
        window = 500;  // HiveMQ discards beyond its 1,000-message client queue, at QoS 1 too
        measure(hivemq.websocketUri(), "alloc-ws", QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE, 40_000,
                MESSAGES / 2);
    }

    private void measure(String uri, String prefix, QoS first, QoS second, int warmUp, int each)
            throws Exception {
        try (MqttClient subscriber = MqttClient.builder().server(uri).clientId(prefix + "-sub").build();
                MqttClient publisher = MqttClient.builder().server(uri).clientId(prefix + "-pub")
                        .publishListener((sequence, reasonCode) -> completed.incrementAndGet()).build()) {
            subscriber.connect();
            subscriber.subscribe("alloc/#", QoS.AT_LEAST_ONCE, message -> received.incrementAndGet())
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            long[] threads = {Thread.currentThread().getId(), ioThread(prefix + "-sub"), ioThread(prefix + "-pub")};

            exchange(publisher, first, warmUp); // warm-up: JIT, buffers, selector keys
            exchange(publisher, second, warmUp);
            long[] perThreadBefore = THREADS.getThreadAllocatedBytes(threads);
            long before = allocated(threads);
            exchange(publisher, first, each);
            exchange(publisher, second, each);
            long[] perThread = THREADS.getThreadAllocatedBytes(threads);
            long bytes = allocated(threads) - before;

            LOG.info("{}: {} bytes allocated for {} {} and {} messages published and received (caller, subscriber "
                    + "I/O, publisher I/O: {}, {}, {})", uri, bytes, 2 * each, first, second,
                    perThread[0] - perThreadBefore[0], perThread[1] - perThreadBefore[1],
                    perThread[2] - perThreadBefore[2]);
            assertTrue(bytes < 1024, "allocated " + bytes + " bytes for " + 2 * each
                    + " messages published and received (caller, subscriber I/O, publisher I/O: "
                    + (perThread[0] - perThreadBefore[0]) + ", " + (perThread[1] - perThreadBefore[1]) + ", "
                    + (perThread[2] - perThreadBefore[2]) + ") over " + uri);
        }
    }

    /** Publishes {@code count} messages in {@link #window}s, waiting after each until all are completed and received. */
    private void exchange(MqttClient publisher, QoS qos, int count) throws InterruptedException {
        for (int done = 0; done < count; done += window) {
            batch(publisher, qos, Math.min(window, count - done));
        }
    }

    private void batch(MqttClient publisher, QoS qos, int count) throws InterruptedException {
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
