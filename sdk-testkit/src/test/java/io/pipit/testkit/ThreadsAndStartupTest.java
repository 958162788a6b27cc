package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Start-up time, and that close() stops every thread the broker started. */
class ThreadsAndStartupTest {
    private static Set<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("pipit-mock-broker")).collect(Collectors.toSet());
    }

    @Test
    void shouldStopAllItsThreadsOnClose() throws Exception {
        int baseline = Thread.activeCount();
        for (int i = 0; i < 50; i++) {
            try (MockBroker broker = MockBroker.start();
                    RawClient c = new RawClient(broker.port(), io.pipit.mqtt.ProtocolVersion.MQTT_5)) {
                c.send(new io.pipit.mqtt.codec.ConnectEncoder().clientId("t" + i)::encode);
                c.expect(io.pipit.mqtt.codec.PacketType.CONNACK);
                assertEquals(Set.of("pipit-mock-broker-" + broker.port()), brokerThreads());
            }
        }
        assertEquals(Set.of(), brokerThreads(), "no broker thread outlives close()");
        assertTrue(Thread.activeCount() <= baseline, "threads before: " + baseline + ", after: "
                + Thread.activeCount());
    }

    @Test
    void shouldStartWellUnder100Milliseconds() {
        MockBroker.start().close();  // warm-up: class loading
        long[] micros = new long[21];
        for (int i = 0; i < micros.length; i++) {
            try (MockBroker broker = MockBroker.start()) {
                micros[i] = TimeUnit.NANOSECONDS.toMicros(broker.startupNs());
            }
        }
        Arrays.sort(micros);
        long median = micros[micros.length / 2];
        System.out.printf("mock broker start-up to ready: median %d us, max %d us over %d starts%n", median,
                micros[micros.length - 1], micros.length);
        assertTrue(median < 100_000, "median start-up " + median + " us");
    }
}
