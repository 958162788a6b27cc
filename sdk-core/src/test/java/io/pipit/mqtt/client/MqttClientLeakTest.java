package io.pipit.mqtt.client;

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
        int threadsBefore = Thread.activeCount();
        long descriptorsBefore = openDescriptors();

        cycle(CLIENTS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((Thread.activeCount() > threadsBefore || openDescriptors() > descriptorsBefore)
                && System.nanoTime() < deadline) {
            Thread.sleep(10); // sockets the broker closes last may linger a moment in the kernel
        }
        assertTrue(Thread.activeCount() <= threadsBefore,
                "threads: " + threadsBefore + " before, " + Thread.activeCount() + " after " + CLIENTS + " clients");
        assertTrue(openDescriptors() <= descriptorsBefore,
                "descriptors: " + descriptorsBefore + " before, " + openDescriptors() + " after " + CLIENTS + " clients");
    }

    private static void cycle(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (MqttClient client = MqttClient.builder().server(broker.uri()).clientId("leak-" + i)
                    .automaticReconnect(true).build()) {
                client.connect();
            }
        }
    }

    private static long openDescriptors() {
        return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }
}
