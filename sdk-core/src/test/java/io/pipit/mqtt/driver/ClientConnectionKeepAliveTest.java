package io.pipit.mqtt.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.engine.Engine;
import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.queue.MemoryQueue;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of keepalive on a virtual clock: a {@link ClientConnection} over a real loopback socket whose
 * peer answers CONNECT and then goes silent (a black hole: the socket stays open and nothing comes back). Time is
 * passed by hand, and the test wakes the connection exactly when {@link ClientConnection#deadlineNs} asks, as the
 * selector loop does; so these tests prove that the driver's deadline is the engine's and that working at it sends
 * the ping and declares the connection dead at exactly 1.5 × keepalive after the last packet received. What a real
 * thread adds on top (selector timeouts in whole milliseconds, rounded up, and its wake-up latency) is not timed here.
 */
class ClientConnectionKeepAliveTest {
    private static final long S = 1_000_000_000L;
    private static final int KEEPALIVE_SECONDS = 2;
    /** A 5.0 CONNACK accepting the connection, with no properties. */
    private static final byte[] CONNACK = {0x20, 0x03, 0x00, 0x00, 0x00};

    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final Events events = new Events();
    private ServerSocket listener;
    private Socket peer;
    private ClientConnection connection;
    private long now = 1_000 * S;

    /** Records what the connection reports. */
    private static final class Events implements ConnectionEvents {
        volatile boolean connected;
        volatile int lostReason = Integer.MIN_VALUE;

        @Override
        public void onConnected(ConnackView connack) {
            connected = true;
        }

        @Override
        public void onConnectionLost(int reasonCode, String detail, boolean willRetry) {
            lostReason = reasonCode;
        }

        @Override
        public void onPublishCompleted(long sequence, int reasonCode) {
        }

        @Override
        public void onSubscriptionAck(int packetId, SubackView ack) {
        }
    }

    @AfterEach
    void close() throws IOException {
        if (connection != null) {
            connection.fail("test over");
        }
        if (peer != null) {
            peer.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    /** Connects at virtual time {@link #now}: CONNECT goes out and CONNACK is read then, and nothing after. */
    private void connect() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("ka")
                .keepAliveSeconds(KEEPALIVE_SECONDS);
        connection = new ClientConnection(connect, 16, 0, queue,
                new ServerAddress[] {ServerAddress.parse("mqtt://127.0.0.1:" + listener.getLocalPort())},
                new Backoff(S, 2 * S, new Random(1)), 10 * S, false, 4096, events);
        connection.start(now);
        connection.doWork(now); // opens the transport
        listener.setSoTimeout(10_000);
        peer = listener.accept();
        peer.setSoTimeout(10_000);
        InputStream in = peer.getInputStream();
        workUntil(() -> connection.engine().state() == Engine.CONNECTING, "CONNECT written");
        assertEquals(0x10, in.read(), "CONNECT");
        peer.getOutputStream().write(CONNACK);
        workUntil(() -> events.connected, "CONNACK");
    }

    /** Works the connection at the current virtual time until {@code done}; real time bounds only a failure. */
    private void workUntil(BooleanSupplier done, String what) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() - giveUpAt < 0, "no " + what + " within 10 s");
            connection.doWork(now);
        }
    }

    private void publishQos0() {
        ByteBuffer packet = ByteBuffer.allocate(64);
        PublishEncoder.encode(packet, ProtocolVersion.MQTT_5, Topic.of("t"), 0, false, false, 0, null, new byte[1], 0,
                1);
        packet.flip();
        queue.offer(packet);
    }

    /**
     * Wakes the connection at each deadline it names (or at {@code publishAtNs}, publishing, when that comes first)
     * until it reports the loss; @return the virtual time of the loss.
     */
    private long runUntilLost(long... publishAtNs) {
        int next = 0;
        while (events.lostReason == Integer.MIN_VALUE) {
            long deadline = connection.deadlineNs(now);
            assertTrue(deadline > now, "a deadline in the future, not a busy loop");
            boolean publishing = next < publishAtNs.length && publishAtNs[next] <= deadline;
            now = publishing ? publishAtNs[next++] : deadline;
            if (publishing) {
                publishQos0();
            }
            connection.doWork(now);
        }
        return now;
    }

    @Test
    void shouldDeclareAnIdleBlackHoleDeadAtOneAndAHalfKeepalivesAfterTheConnack() throws IOException {
        connect();
        long connackAt = now;
        assertEquals(connackAt + KEEPALIVE_SECONDS * S, connection.deadlineNs(now), "the ping, due at 1.0 x");
        long lostAt = runUntilLost();
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, events.lostReason);
        assertEquals(connackAt + 3 * S, lostAt, "1.5 x keepalive, to the nanosecond");
    }

    @Test
    void shouldDeclareABlackHoleDeadAtOneAndAHalfKeepalivesThoughThePeerWasSentSomethingLater() throws IOException {
        connect();
        long connackAt = now;
        long lostAt = runUntilLost(connackAt + S * 9 / 10); // one publish 0.9 s in, too early to take a ping along
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, events.lostReason);
        assertEquals(connackAt + 3 * S, lostAt, "1.5 x keepalive after the last packet received, not the last sent");
    }

    @Test
    void shouldDeclareABlackHoleDeadWithinOneAndAHalfKeepalivesUnderAQos0Stream() throws IOException {
        connect();
        long connackAt = now;
        long[] stream = new long[10];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = connackAt + (i + 1) * S * 7 / 10; // every 0.7 s: no multiple of it is the interval
        }
        long lostAt = runUntilLost(stream);
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, events.lostReason);
        assertTrue(lostAt - connackAt <= 3 * S, "found " + (lostAt - connackAt) + " ns after the last packet received");
        assertEquals(connackAt + S * 14 / 10 + S, lostAt, "the ping rode on the publish at 1.4 s; its 1 s ran out");
    }
}
