package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.keepalive.ConnectionHealth;
import io.pipit.mqtt.keepalive.KeepAlivePolicy;
import io.pipit.mqtt.keepalive.ReconnectCause;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keepalive and connection health over real sockets: mosquitto behind the fault proxy, a keepalive of 2 s.
 * A black hole is found by the keepalive (reason 0x8D), whether the client is idle or streaming QoS 0 into it; the
 * platform's network hooks pause and resume reconnecting; health figures come through the API.
 *
 * <p>That detection lands within 1.5 × keepalive is proven on the engine's virtual clock
 * ({@code engine.KeepAliveDayTest#shouldFindABlackHoleUnderAQos0StreamWithinOneAndAHalfIntervals} and its
 * neighbours), where time is exact. Here, on the wall clock of a possibly loaded machine, the tests only bound it
 * loosely (it was the keepalive, not the connect timeout or the OS) and print the time it took.
 */
@ExtendWith(MosquittoPerClass.class)
class KeepAliveMosquittoTest {
    private static final long KEEPALIVE_MS = 2_000;
    /**
     * The wall-clock bound on finding a black hole: 1.5 × keepalive is expected, and three keepalives plus 5 s still
     * tell a keepalive detection from none (the next-slowest path would be TCP retransmission, minutes).
     */
    private static final long DETECTION_BOUND_MS = 3 * KEEPALIVE_MS + 5_000;
    private static MosquittoBroker broker;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** Runs on the I/O thread when a connection is lost, before the client schedules its reconnect. */
    private volatile Runnable onLost = () -> { };

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    private MqttClientBuilder client(String id, String uri) {
        return MqttClient.builder().server(uri).clientId(id).connectTimeout(5, TimeUnit.SECONDS)
                .keepAlive(KEEPALIVE_MS, TimeUnit.MILLISECONDS).automaticReconnect(true)
                .reconnectDelay(50, 200, TimeUnit.MILLISECONDS)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(boolean sessionPresent) {
                        events.add("connected");
                    }

                    @Override
                    public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                        onLost.run();
                        events.add(String.format("lost 0x%02X", reasonCode & 0xFF));
                    }
                });
    }

    @Test
    void shouldFindABlackHoleUnderAnIdleClientWithinOneAndAHalfKeepalives() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient client = client("ka-idle", proxy.uri()).build()) {
            client.connect();
            assertEquals("connected", events.poll(15, TimeUnit.SECONDS));
            waitFor(() -> client.health().pingsSent() >= 1 && client.health().lastPingRttNs() >= 0, 15_000);
            // The path comes back the moment the loss is reported, before the reconnect can start: a reconnect
            // that began inside the hole would have its CONNECT swallowed and wait out the 5 s connect timeout.
            onLost = () -> proxy.blackHole(false);
            long detectedMs = blackHoleAndTimeDetection(proxy, () -> { });
            assertTrue(detectedMs <= DETECTION_BOUND_MS,
                    "found after " + detectedMs + " ms, keepalive " + KEEPALIVE_MS + " ms");
            proxy.blackHole(false);
            assertEquals("connected", events.poll(15, TimeUnit.SECONDS), "reconnected once the path works again");
            ConnectionHealth health = client.health();
            assertEquals(1, health.reconnects(ReconnectCause.KEEPALIVE_TIMEOUT), health.toString());
            assertEquals(1, health.reconnects(), health.toString());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MS), health.intervalNs());
        }
    }

    @Test
    void shouldFindABlackHoleUnderAQos0StreamWithinOneAndAHalfKeepalives() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient client = client("ka-stream", proxy.uri()).build()) {
            client.connect();
            assertEquals("connected", events.poll(5, TimeUnit.SECONDS));
            Topic topic = Topic.of("ka/stream");
            byte[] payload = new byte[16];
            long detectedMs = blackHoleAndTimeDetection(proxy,
                    () -> client.publish(topic, payload, 0, payload.length, QoS.AT_MOST_ONCE));
            assertTrue(detectedMs <= DETECTION_BOUND_MS,
                    "found after " + detectedMs + " ms of streaming into the hole");
        }
    }

    /** Black-holes the proxy, runs {@code each} every 50 ms, and @return ms until the client saw the loss. */
    private long blackHoleAndTimeDetection(FaultProxy proxy, Runnable each) throws InterruptedException {
        proxy.blackHole(true);
        long start = System.nanoTime();
        String event = null;
        while (event == null && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(DETECTION_BOUND_MS)) {
            each.run();
            event = events.poll(50, TimeUnit.MILLISECONDS);
        }
        long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(String.format("lost 0x%02X", ReasonCode.KEEP_ALIVE_TIMEOUT), event);
        System.out.printf("black hole found %d ms after it opened (keepalive %d ms, bound %d ms)%n", detectedMs,
                KEEPALIVE_MS, KEEPALIVE_MS * 3 / 2);
        return detectedMs;
    }

    @Test
    void shouldPauseReconnectingWhileTheNetworkIsLostAndReconnectAtOnceWhenItReturns() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient client = client("ka-network", proxy.uri()).reconnectDelay(20, 30, TimeUnit.SECONDS)
                        .build()) {
            client.connect();
            assertEquals("connected", events.poll(5, TimeUnit.SECONDS));
            client.networkLost();
            proxy.cut();
            assertEquals("lost 0xFF", events.poll(5, TimeUnit.SECONDS));
            Thread.sleep(500);
            assertEquals(1, proxy.connectionCount(), "no attempt while the platform says there is no network");
            client.networkAvailable("lan-1");
            assertEquals("connected", events.poll(10, TimeUnit.SECONDS), "at once, not after a 20-30 s backoff");
            client.networkAvailable("lan-2");
            assertEquals("lost 0xFF", events.poll(10, TimeUnit.SECONDS), "a connection of the old network is dropped");
            assertEquals("connected", events.poll(10, TimeUnit.SECONDS));
            ConnectionHealth health = client.health();
            assertEquals(1, health.reconnects(ReconnectCause.NETWORK_CHANGED), health.toString());
            assertEquals(1, health.reconnects(ReconnectCause.NETWORK_ERROR), health.toString());
        }
    }

    @Test
    void shouldGrowAnAdaptiveIntervalAndTellTheSchedulerItsDeadlines() throws Exception {
        BlockingQueue<Long> deadlines = new LinkedBlockingQueue<>();
        try (MqttClient client = client("ka-adaptive", broker.uri())
                .keepAlive(KeepAlivePolicy.adaptive(1, 2, TimeUnit.SECONDS).confirmations(1))
                .keepAliveScheduler(deadlines::add).build()) {
            client.connect();
            assertEquals(TimeUnit.SECONDS.toNanos(1), client.health().intervalNs());
            waitFor(() -> client.health().intervalNs() == TimeUnit.SECONDS.toNanos(2), 20_000);
            assertTrue(client.health().pingsSent() >= 2, client.health().toString());
            Long deadline = deadlines.poll(1, TimeUnit.SECONDS);
            assertNotNull(deadline, "the scheduler heard of the timers");
        }
    }

    /**
     * A clock that stopped while the device slept (System.nanoTime on Android) would leave a due ping unsent;
     * the client's own clock, read after {@code wakeUp()}, finds it due at once.
     */
    @Test
    void shouldPingWhenAWakeUpFindsTheClientsClockPastTheKeepalive() throws Exception {
        java.util.concurrent.atomic.AtomicLong slept = new java.util.concurrent.atomic.AtomicLong();
        BlockingQueue<Long> deadlines = new LinkedBlockingQueue<>();
        io.pipit.mqtt.driver.NanoClock clock = () -> System.nanoTime() + slept.get();
        try (MqttClient client = client("ka-clock", broker.uri()).keepAlive(60, TimeUnit.SECONDS)
                .clock(clock).keepAliveScheduler(deadlines::add).build()) {
            client.connect();
            // the I/O thread reports its deadlines to the scheduler after CONNACK: wait for the first finite one
            waitFor(() -> deadlines.stream().anyMatch(d -> d != Long.MAX_VALUE), 15_000);
            assertEquals(0, client.health().pingsSent(), "nothing due yet");
            long deadline = deadlines.stream().mapToLong(Long::longValue).filter(d -> d != Long.MAX_VALUE).max()
                    .orElseThrow(AssertionError::new);
            assertTrue(deadline - clock.nanoTime() > TimeUnit.SECONDS.toNanos(50), "deadline on the client's clock");
            slept.set(TimeUnit.SECONDS.toNanos(61));
            client.wakeUp();
            waitFor(() -> client.health().pingsSent() == 1 && client.health().lastPingRttNs() >= 0, 15_000);
        }
    }

    @Test
    void shouldRefuseAClockForAClientOnASharedEventLoop() throws Exception {
        try (io.pipit.mqtt.driver.EventLoop loop = new io.pipit.mqtt.driver.EventLoop("clock-loop")) {
            MqttClientBuilder builder = client("ka-loop", broker.uri()).eventLoop(loop).clock(System::nanoTime);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    builder::build);
            assertTrue(e.getMessage().contains("event loop"), e.getMessage());
        }
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met within " + timeoutMs + " ms");
            Thread.sleep(20);
        }
    }
}
