package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.testing.AllocationMeter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TcpTransport against a real loopback ServerSocketChannel, driven the way a selector driver drives it. */
class TcpTransportTest {
    private static final long TIMEOUT_MS = 5_000;

    private ServerSocketChannel server;
    private TcpTransport transport;
    private SocketChannel accepted;

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void closeAll() throws IOException {
        if (transport != null) {
            transport.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        server.close();
    }

    private int serverPort() {
        return server.socket().getLocalPort();
    }

    /** Connects through a selector (OP_CONNECT, then finishConnect) and accepts the server side. */
    private void connectViaSelector() throws IOException {
        transport = new TcpTransport("127.0.0.1", serverPort());
        transport.connect();
        try (Selector selector = Selector.open()) {
            transport.channel().register(selector, SelectionKey.OP_CONNECT);
            final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
            while (!transport.finishConnect()) {
                assertTrue(System.currentTimeMillis() < deadlineMs, "connect timed out");
                selector.select(100);
            }
        }
        accepted = server.accept();  // the server channel is blocking: the connection is already queued
        assertTrue(((SocketChannel) transport.channel()).socket().getTcpNoDelay(), "TCP_NODELAY is on");
    }

    /** Reads until {@code dst} is full; a non-blocking read returns 0 until bytes arrive. */
    private void readFully(ByteBuffer dst) throws IOException {
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        while (dst.hasRemaining()) {
            final int read = transport.read(dst);
            assertTrue(read >= 0, "unexpected end of stream");
            if (read == 0) {
                assertTrue(System.currentTimeMillis() < deadlineMs, "read timed out");
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void shouldConnectAndFinishConnect() throws IOException {
        connectViaSelector();

        assertTrue(transport.finishConnect(), "stays connected on repeated calls");
        assertEquals("127.0.0.1:" + serverPort(), transport.peer());
        assertFalse(transport.hasPendingWrites());
    }

    @Test
    void shouldWriteAndReadBothWays() throws IOException {
        connectViaSelector();
        final byte[] hello = "hello broker".getBytes(StandardCharsets.US_ASCII);

        final ByteBuffer out = ByteBuffer.wrap(hello);
        while (out.hasRemaining()) {
            transport.write(out);
        }
        final ByteBuffer atServer = ByteBuffer.allocate(hello.length);
        while (atServer.hasRemaining()) {
            accepted.read(atServer);  // blocking server side
        }
        assertArrayEquals(hello, atServer.array());

        final byte[] reply = {0x20, 0x02, 0x00, 0x00};  // CONNACK, success
        accepted.write(ByteBuffer.wrap(reply));
        final ByteBuffer in = ByteBuffer.allocateDirect(reply.length);
        readFully(in);
        in.flip();
        final byte[] received = new byte[reply.length];
        in.get(received);
        assertArrayEquals(reply, received);
    }

    @Test
    void shouldReturnZeroWhenNothingArrived() throws IOException {
        connectViaSelector();

        assertEquals(0, transport.read(ByteBuffer.allocate(16)));
    }

    @Test
    void shouldReturnMinusOneAtEndOfStream() throws IOException {
        connectViaSelector();
        accepted.close();

        final ByteBuffer dst = ByteBuffer.allocate(16);
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        int read;
        while ((read = transport.read(dst)) == 0) {
            assertTrue(System.currentTimeMillis() < deadlineMs, "EOF never arrived");
            Thread.onSpinWait();
        }
        assertEquals(-1, read);
    }

    @Test
    void shouldCloseIdempotently() throws IOException {
        connectViaSelector();

        transport.close();
        transport.close();

        assertFalse(transport.channel().isOpen());
        final IOException failure = assertThrows(IOException.class, () -> transport.read(ByteBuffer.allocate(1)));
        assertTrue(failure.getMessage().contains(transport.peer()), failure.getMessage());
    }

    @Test
    void shouldCloseBeforeConnectWithoutFailing() throws IOException {
        transport = new TcpTransport("127.0.0.1", serverPort());

        transport.close();

        assertThrows(IllegalStateException.class, transport::channel);
    }

    @Test
    void shouldNameThePeerWhenConnectionIsRefused() throws IOException {
        // A socket bound to the port but not listening holds it for the test: the kernel refuses connections to it,
        // and no other process can start listening there meanwhile (as it could on a port probed and closed).
        try (java.net.Socket holder = new java.net.Socket()) {
            holder.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            assertRefusedAndNamed(holder.getLocalPort());
        }
    }

    private void assertRefusedAndNamed(int closedPort) throws IOException {
        transport = new TcpTransport("127.0.0.1", closedPort);

        final IOException failure = assertThrows(IOException.class, () -> {
            transport.connect();
            final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
            while (!transport.finishConnect()) {
                assertTrue(System.currentTimeMillis() < deadlineMs, "refusal never arrived");
                Thread.sleep(1);
            }
        });

        assertInstanceOf(ConnectException.class, failure);
        assertTrue(failure.getMessage().contains("127.0.0.1:" + closedPort), failure.getMessage());
        assertFalse(transport.channel().isOpen(), "a failed connect closes its socket");
    }

    @Test
    void shouldNameThePeerWhenHostDoesNotResolve() {
        transport = new TcpTransport("no-such-host.invalid", 1883);  // .invalid never resolves (RFC 2606)

        final UnknownHostException failure = assertThrows(UnknownHostException.class, transport::connect);

        assertTrue(failure.getMessage().contains("no-such-host.invalid:1883"), failure.getMessage());
    }

    @Test
    void shouldBracketIpv6LiteralsInPeer() {
        assertEquals("[::1]:8883", new TcpTransport("::1", 8883).peer());
    }

    @Test
    void shouldRejectASecondConnect() throws IOException {
        connectViaSelector();

        assertThrows(IllegalStateException.class, transport::connect);
    }

    @Test
    void shouldRejectBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("", 1883));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("localhost", 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpTransport("localhost", 65536));
    }

    @Test
    void shouldReadAndWriteWithoutAllocating() throws IOException {
        connectViaSelector();
        final ByteBuffer out = ByteBuffer.allocate(64);
        final ByteBuffer atServer = ByteBuffer.allocateDirect(64);
        final ByteBuffer in = ByteBuffer.allocate(64);
        echo(out, atServer, in, 100_000);  // warm-up: class loading, JIT, the JDK's temporary direct buffers
        // the least of three rounds, under 1 KB: a late JIT deoptimisation on a loaded machine can cost a few
        // hundred bytes once, in one round; a per-message allocation would be 1.6 MB at 16 B each, in every round
        final AllocationMeter meter = new AllocationMeter(3);
        final long allocated = meter.leastBytesPerRound(() -> {
            try {
                return echo(out, atServer, in, 100_000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(allocated < 1024, "bytes allocated by 100,000 write+read round trips: " + allocated);
        assertEquals(100_000, meter.lastChecksum());  // the loop really ran
    }

    /** Sends 64 bytes through the transport, echoes them back from the server side, reads them. */
    private int echo(ByteBuffer out, ByteBuffer atServer, ByteBuffer in, int times) throws IOException {
        int echoed = 0;
        for (int i = 0; i < times; i++) {
            out.clear();
            while (out.hasRemaining()) {
                transport.write(out);
            }
            atServer.clear();
            while (atServer.hasRemaining()) {
                accepted.read(atServer);
            }
            atServer.flip();
            accepted.write(atServer);
            in.clear();
            while (in.hasRemaining()) {
                if (transport.read(in) < 0) {
                    return echoed;
                }
            }
            echoed++;
        }
        return echoed;
    }

    @Test
    void shouldExposeTheSameChannelForSelectors() throws IOException {
        connectViaSelector();

        assertSame(transport.channel(), transport.channel());
    }
}
