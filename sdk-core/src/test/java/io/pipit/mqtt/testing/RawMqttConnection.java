package io.pipit.mqtt.testing;

import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.transport.TcpTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Our own {@link TcpTransport} and codec talking to a broker packet by packet, with no engine: the fixtures'
 * self-tests use it to prove a broker speaks the bytes our codec writes. Blocks by polling with a deadline
 * (simple beats fast in a test helper).
 *
 * <p><b>Thread-safety:</b> none; one test thread.
 */
final class RawMqttConnection implements AutoCloseable {
    private static final long TIMEOUT_MS = 10_000;

    private final TcpTransport transport;
    private final ByteBuffer received = ByteBuffer.allocate(64 * 1024);

    /** Connects TCP to {@code host:port} (no MQTT yet). */
    RawMqttConnection(String host, int port) throws IOException {
        transport = new TcpTransport(host, port);
        transport.connect();
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        while (!transport.finishConnect()) {
            pause(deadlineMs, "TCP connect to " + transport.peer());
        }
    }

    /** Writes all of {@code packet} (position to limit). */
    void send(ByteBuffer packet) throws IOException {
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        while (packet.hasRemaining()) {
            if (transport.write(packet) == 0) {
                pause(deadlineMs, "write to " + transport.peer());
            }
        }
    }

    /**
     * @return the next whole packet's bytes (fixed header included), or null when the broker closed the
     *     connection first
     */
    byte[] receivePacket() throws IOException {
        final long deadlineMs = System.currentTimeMillis() + TIMEOUT_MS;
        while (true) {
            final long header = FixedHeader.read(received, 0, received.position(), FixedHeader.MAX_PACKET_SIZE);
            if (header != FixedHeader.INCOMPLETE) {
                final int length = FixedHeader.headerLength(header) + FixedHeader.remainingLength(header);
                if (received.position() >= length) {
                    final byte[] packet = Arrays.copyOf(received.array(), length);
                    received.flip().position(length);
                    received.compact();
                    return packet;
                }
            }
            final int read = transport.read(received);
            if (read < 0) {
                return null;
            }
            if (read == 0) {
                pause(deadlineMs, "a packet from " + transport.peer());
            }
        }
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    private static void pause(long deadlineMs, String waitingFor) throws IOException {
        if (System.currentTimeMillis() > deadlineMs) {
            throw new SocketTimeoutException("timed out after " + TIMEOUT_MS + " ms waiting for " + waitingFor);
        }
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + waitingFor, e);
        }
    }
}
