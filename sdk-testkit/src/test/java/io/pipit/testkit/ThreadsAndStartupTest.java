package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** That a started broker serves at once (its start-up time logged), and that close() stops every thread it started. */
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

    /**
     * Start-up ends with a broker that serves: each of 21 fresh brokers answers a CONNECT with CONNACK 0x00 right
     * after {@code start()} returned, and reports how long start-up took. That figure is logged, not asserted: a
     * speed depends on the machine and its load, so it is no pass/fail criterion for CI. RoundTripBenchmark
     * measures it (the README's "Testing your app with the mock broker" shows how to run it).
     */
    @Test
    void shouldServeAsSoonAsStartReturnsAndReportTheStartUpTime() throws Exception {
        MockBroker.start().close();  // warm-up: class loading
        long[] micros = new long[21];
        for (int i = 0; i < micros.length; i++) {
            try (MockBroker broker = MockBroker.start();
                    RawClient c = new RawClient(broker.port(), io.pipit.mqtt.ProtocolVersion.MQTT_5)) {
                micros[i] = TimeUnit.NANOSECONDS.toMicros(broker.startupNs());
                assertTrue(broker.startupNs() > 0, "start-up measured: " + broker.startupNs() + " ns");
                c.send(new io.pipit.mqtt.codec.ConnectEncoder().clientId("s" + i)::encode);
                assertEquals(0x00, c.expect(io.pipit.mqtt.codec.PacketType.CONNACK).connack().reasonCode());
            }
        }
        Arrays.sort(micros);
        System.out.printf("mock broker start-up to ready: median %d us, max %d us over %d starts%n",
                micros[micros.length / 2], micros[micros.length - 1], micros.length);
    }
}
