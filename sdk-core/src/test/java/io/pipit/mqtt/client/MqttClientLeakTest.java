package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connecting and closing many clients leaves no thread, socket or selector behind. */
@ExtendWith(MosquittoPerClass.class)
class MqttClientLeakTest {
    private static final int CLIENTS = 200;

    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    @Test
    void shouldReturnThreadsAndDescriptorsToBaselineAfterClosingClients() throws Exception {
        cycle(20); // warm-up: class loading, JDK-internal threads and descriptors that stay for good
        long descriptorsBefore = openDescriptors();

        cycle(CLIENTS);

        // Threads are counted by name: the clients' own I/O threads must all end. The JVM's thread count would also
        // move with threads this test does not own (a pool worker idling out, a fixture's helper).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long descriptorsAfter = openDescriptors();
        while ((clientThreads() > 0 || descriptorsAfter > descriptorsBefore) && System.nanoTime() < deadline) {
            Thread.sleep(10); // sockets the broker closes last may linger a moment in the kernel
            descriptorsAfter = openDescriptors();
        }
        assertEquals(0, clientThreads(), "I/O threads left after closing " + CLIENTS + " clients");
        // Judged on the count that ended the wait: the JVM's other threads (a shared embedded broker, the JDK's
        // own) may hold a descriptor for a moment at any time, so a second read could see one that is no leak.
        // A leak never comes back down: 200 clients' sockets or selectors would keep the count up for good.
        assertTrue(descriptorsAfter <= descriptorsBefore,
                "descriptors: " + descriptorsBefore + " before, " + descriptorsAfter + " after " + CLIENTS + " clients");
    }

    private static void cycle(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (MqttClient client = MqttClient.builder().server(broker.uri()).clientId("leak-" + i)
                    .automaticReconnect(true).build()) {
                client.connect();
            }
        }
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("pipit-io-leak-")).count();
    }

    private static long openDescriptors() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }
}
