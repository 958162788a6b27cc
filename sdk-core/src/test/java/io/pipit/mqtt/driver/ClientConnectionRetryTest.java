package io.pipit.mqtt.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.queue.MemoryQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A first connect refused by the server, on a virtual clock over a real loopback socket whose peer answers every
 * CONNECT with CONNACK 0x88: final by default, even with automatic reconnect; with {@code retryFirstConnect} retried
 * after the reconnect backoff, as a dropped connection would be, until {@link ClientConnection#stop} ends it.
 */
class ClientConnectionRetryTest {
    private static final long S = 1_000_000_000L;
    /** A 5.0 CONNACK refusing with 0x88 Server unavailable, no properties. */
    private static final byte[] REFUSAL = {0x20, 0x03, 0x00, (byte) 0x88, 0x00};

    private final List<String> events = new ArrayList<>();
    private final List<Socket> peers = new ArrayList<>();
    private ServerSocket listener;
    private ClientConnection connection;
    private long now = 1_000 * S;

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.fail("test over");
        }
        for (Socket peer : peers) {
            peer.close();
        }
        listener.close();
    }

    private void create(boolean retryFirstConnect) throws IOException {
        listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(10_000);
        ConnectionEvents recorder = new ConnectionEvents() {
            @Override
            public void onConnected(ConnackView connack) {
                events.add("connected");
            }

            @Override
            public void onConnectionLost(int reasonCode, String detail, boolean willRetry) {
                events.add(String.format("lost 0x%02X retry=%s", reasonCode, willRetry));
            }

            @Override
            public void onPublishCompleted(long sequence, int reasonCode) {
            }

            @Override
            public void onSubscriptionAck(int packetId, SubackView ack) {
            }
        };
        connection = new ClientConnection(new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("r1"), 16, 0,
                new MemoryQueue(4096, 10),
                new ServerAddress[] {ServerAddress.parse("mqtt://127.0.0.1:" + listener.getLocalPort())},
                new Backoff(S, 8 * S, new Random(7)), 10 * S, true, 4096, recorder)
                .retryFirstConnect(retryFirstConnect);
        connection.start(now);
    }

    /** One attempt at the current virtual time: TCP, CONNECT, the peer's refusal, the close. */
    private void attemptRefused(int expectedEvents) throws IOException {
        connection.doWork(now); // opens the transport
        Socket peer = listener.accept();
        peers.add(peer);
        peer.setSoTimeout(10_000);
        workUntil(() -> connection.engine().state() != 0, "CONNECT written"); // CONNECTING once it went out
        assertEquals(0x10, peer.getInputStream().read(), "CONNECT");
        peer.getOutputStream().write(REFUSAL);
        workUntil(() -> events.size() == expectedEvents, "the refusal");
    }

    private void workUntil(BooleanSupplier done, String what) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() - giveUpAt < 0, "no " + what + " within 10 s");
            connection.doWork(now);
        }
    }

    @Test
    void shouldNotRetryAFailedFirstConnectByDefault() throws IOException {
        create(false);
        attemptRefused(1);
        assertEquals(List.of("lost 0x88 retry=false"), events);
        assertTrue(connection.isStopped(), "the caller's to handle");
        assertEquals(Long.MAX_VALUE, connection.deadlineNs(now));
    }

    @Test
    void shouldRetryAFailedFirstConnectAfterTheReconnectBackoff() throws IOException {
        create(true);
        attemptRefused(1);
        assertEquals(List.of("lost 0x88 retry=true"), events);
        assertFalse(connection.isStopped());
        long retryAt = connection.deadlineNs(now);
        assertTrue(retryAt - now >= 0 && retryAt - now <= S, "within the first backoff ceiling: " + (retryAt - now));
        now = retryAt;
        attemptRefused(2); // the second attempt, at the backoff's deadline
        assertEquals(List.of("lost 0x88 retry=true", "lost 0x88 retry=true"), events);
        long againAt = connection.deadlineNs(now);
        assertTrue(againAt - now >= 0 && againAt - now <= 2 * S, "the ceiling doubles: " + (againAt - now));

        connection.stop(ReasonCode.NORMAL_DISCONNECTION, now, S);
        assertTrue(connection.isStopped(), "stopped between attempts");
        assertEquals(Long.MAX_VALUE, connection.deadlineNs(now), "no attempt is due any more");
    }
}
