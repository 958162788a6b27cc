package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.AllocationMeter;
import io.pipit.mqtt.testing.HiveMqBroker;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MqttClientAllocationTest.class);
    private static final int MESSAGES = 100_000;
    private static final int ROUNDS = 3;
    private final AllocationMeter meterForThisTest = new AllocationMeter(ROUNDS);

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
        measure(broker.uri(), "alloc", QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE, 150_000, MESSAGES / 2);
    }

    /**
     * The same over {@code ws://} (HiveMQ, as Debian's mosquitto has no WebSocket listener): framing, masking and
     * unframing add no allocation. QoS 1 and 2, since HiveMQ sheds QoS 0 messages a fast publisher outruns.
     */
    @Test
    void shouldPublishAndReceiveQos1AndQos2OverWebSocketWithoutAllocating(HiveMqBroker hivemq) throws Exception {
        window = 500;  // HiveMQ discards beyond its 1,000-message client queue, at QoS 1 too
        measure(hivemq.websocketUri(), "alloc-ws", QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE, 40_000,
                MESSAGES / 4);
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
            // The least of three rounds: a per-message allocation shows in every round (16 B × each is far over
            // the bound), a one-off recompilation or deoptimisation on a loaded machine in one round only.
            long bytes = meterForThisTest.leastBytesPerRound(threads, () -> {
                try {
                    exchange(publisher, first, each);
                    exchange(publisher, second, each);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while measuring", e);
                }
                return 2 * each;
            });
            LOG.info("{}: {} bytes allocated (least of {} rounds) for {} {} and {} messages published and received "
                    + "on the caller's and both I/O threads", uri, bytes, ROUNDS, 2 * each, first, second);
            assertEquals(2 * each, meterForThisTest.lastChecksum(), "the measured round ran");
            assertTrue(bytes < 1024, "allocated " + bytes + " bytes (least of " + ROUNDS + " rounds) for " + 2 * each
                    + " messages published and received on the caller's and both I/O threads over " + uri);
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
}
