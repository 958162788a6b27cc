package io.pipit.mqtt.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FaultProxy with raw sockets: a plain ServerSocket stands in for the broker. */
class FaultProxyTest {
    private static final int SHORT_WAIT_MS = 300;

    private ServerSocket target;
    private FaultProxy proxy;
    private Socket client;
    private Socket broker;

    @BeforeEach
    void start() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        target.setSoTimeout(5_000);
        proxy = FaultProxy.start(target.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        closeIfOpen(client);
        closeIfOpen(broker);
        target.close();
    }

    private static void closeIfOpen(Socket socket) throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    /** Opens client → proxy → target and returns once the target accepted. */
    private void connectThroughProxy() throws IOException {
        client = new Socket(proxy.host(), proxy.port());
        client.setSoTimeout(5_000);
        broker = target.accept();
        broker.setSoTimeout(5_000);
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String receive(Socket socket, int length) throws IOException {
        final byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** @return true when nothing arrives on {@code socket} within {@link #SHORT_WAIT_MS} */
    private static boolean staysSilent(Socket socket) throws IOException {
        final int timeout = socket.getSoTimeout();
        socket.setSoTimeout(SHORT_WAIT_MS);
        try {
            final int read = socket.getInputStream().read();
            throw new AssertionError("expected silence but read " + read);
        } catch (SocketTimeoutException expected) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Test
    void shouldForwardBothWaysAndCount() throws IOException {
        connectThroughProxy();

        send(client, "CONNECT");
        assertEquals("CONNECT", receive(broker, 7));
        send(broker, "CONNACK");
        assertEquals("CONNACK", receive(client, 7));

        assertEquals(1, proxy.connectionCount());
        assertEquals(1, proxy.openConnectionCount());
        eventually(() -> proxy.bytesToBroker() == 7 && proxy.bytesToClient() == 7);  // counted after the write
        assertEquals(0, proxy.droppedBytes());
    }

    @Test
    void shouldCutBothSidesAtOnceAndStillAcceptNewConnections() throws IOException {
        connectThroughProxy();
        send(client, "x");
        assertEquals("x", receive(broker, 1));

        proxy.cut();

        assertEquals(-1, client.getInputStream().read(), "client sees end of stream");
        assertEquals(-1, broker.getInputStream().read(), "broker sees end of stream");
        assertEquals(0, proxy.openConnectionCount());
        connectThroughProxy();
        send(client, "again");
        assertEquals("again", receive(broker, 5));
        assertEquals(2, proxy.connectionCount());
    }

    @Test
    void shouldBlackHoleBothWaysWithoutClosing() throws IOException {
        connectThroughProxy();

        proxy.blackHole(true);
        send(client, "ping");
        send(broker, "pong");

        assertTrue(staysSilent(broker));
        assertTrue(staysSilent(client));
        eventually(() -> proxy.droppedBytes() >= 8);  // counted once the proxy's thread has read them
        assertEquals(8, proxy.droppedBytes());
        assertEquals(1, proxy.openConnectionCount(), "sockets stay open: a half-open connection");
        send(client, "still writable");  // no error: the kernel accepts the bytes, the path loses them
        eventually(() -> proxy.droppedBytes() == 8 + 14);  // lost once the proxy has read them

        proxy.blackHole(false);
        send(client, "back");
        assertEquals("back", receive(broker, 4));
    }

    @Test
    void shouldNotPassEndOfStreamThroughABlackHole() throws IOException {
        connectThroughProxy();
        proxy.blackHole(true);

        client.shutdownOutput();

        assertTrue(staysSilent(broker), "a FIN is lost like any other packet");
    }

    @Test
    void shouldDelayBothWays() throws IOException {
        connectThroughProxy();
        proxy.delay(200);

        final long startNs = System.nanoTime();
        send(client, "req");
        assertEquals("req", receive(broker, 3));
        send(broker, "rsp");
        assertEquals("rsp", receive(client, 3));
        final long roundTripMs = (System.nanoTime() - startNs) / 1_000_000;

        assertTrue(roundTripMs >= 400, "round trip took " + roundTripMs + " ms, expected >= 400");
        // Generous: only "not stuck" is checked above the floor, since CI machines run several JVMs at once.
        assertTrue(roundTripMs < 5_000, "round trip took " + roundTripMs + " ms");
    }

    @Test
    void shouldSilentlyDropAConnectionIdleTooLong() throws Exception {
        connectThroughProxy();
        send(client, "busy");
        assertEquals("busy", receive(broker, 4));
        // armed after the first exchange, so that a stall of this thread before it cannot count as idleness
        proxy.dropAfterIdle(200);

        Thread.sleep(400);  // longer than the NAT's idle limit
        send(client, "late");
        send(broker, "late");

        assertTrue(staysSilent(broker));
        assertTrue(staysSilent(client));
        assertEquals(1, proxy.openConnectionCount(), "nobody was told: both sockets still open");
        proxy.dropAfterIdle(0);
        eventually(() -> proxy.droppedBytes() == 8);
        send(client, "still dead");
        assertTrue(staysSilent(broker), "a dropped NAT entry does not come back");
    }

    @Test
    void shouldRejectConnectionsWhileTold() throws IOException {
        proxy.rejectConnections(true);

        try (Socket rejected = new Socket(proxy.host(), proxy.port())) {
            rejected.setSoTimeout(5_000);
            assertEquals(-1, rejected.getInputStream().read());
        }
        assertEquals(1, proxy.rejectedCount());
        assertEquals(0, proxy.connectionCount());

        proxy.rejectConnections(false);
        connectThroughProxy();
        send(client, "ok");
        assertEquals("ok", receive(broker, 2));
    }

    @Test
    void shouldCloseTheClientWhenTheBrokerIsUnreachable() throws IOException {
        target.close();  // nothing listens behind the proxy now

        try (Socket orphan = new Socket(proxy.host(), proxy.port())) {
            orphan.setSoTimeout(5_000);
            final InputStream in = orphan.getInputStream();
            assertEquals(-1, in.read());
        }
        assertEquals(0, proxy.openConnectionCount());
    }

    @Test
    void shouldPassEndOfStreamOnAndCloseWhenBothSidesEnded() throws IOException {
        connectThroughProxy();

        broker.shutdownOutput();
        assertEquals(-1, client.getInputStream().read());
        send(client, "bye");  // half-closed: the other way still works
        assertEquals("bye", receive(broker, 3));
        client.shutdownOutput();
        assertEquals(-1, broker.getInputStream().read());

        eventually(() -> proxy.openConnectionCount() == 0);
    }

    @Test
    void shouldStopItsThreadAndSocketsOnClose() throws IOException {
        connectThroughProxy();
        final String threadName = "pipit-fault-proxy-" + proxy.port();
        assertTrue(threadAlive(threadName));

        proxy.close();
        proxy.close();  // idempotent

        assertFalse(threadAlive(threadName));
        assertEquals(-1, client.getInputStream().read());
        assertThrows(IOException.class, () -> new Socket(proxy.host(), proxy.port()).close());
        assertArrayEquals(new byte[0], broker.getInputStream().readAllBytes());
    }

    /** Waits up to 5 s for {@code condition}: the proxy thread updates its counters just after the I/O. */
    private static void eventually(BooleanSupplier condition) {
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadlineNs < 0, "condition not met within 5 s");
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
