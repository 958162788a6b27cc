package io.pipit.testkit;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A byte-level MQTT client built on the codec, for tests that must send exactly what a real client would not
 * (too many in-flight PUBLISHes, unknown aliases, malformed bytes) and see exactly what comes back.
 * Blocking; one test thread only.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final PacketDecoder decoder;
    private final ByteBuffer tx = ByteBuffer.allocate(1 << 20);
    private byte[] rx = new byte[1 << 16];
    private int rxLength;
    private ByteBuffer current;

    RawClient(int port, ProtocolVersion version) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        decoder = new PacketDecoder(version, FixedHeader.MAX_PACKET_SIZE);
    }

    /** Connects with {@code connect} and returns the decoder on the CONNACK. */
    static RawClient connect(int port, ConnectEncoder connect) throws IOException {
        RawClient c = new RawClient(port, connect.version());
        c.send(connect::encode);
        c.expect(PacketType.CONNACK);
        return c;
    }

    interface Encoding {
        int encode(ByteBuffer dst);
    }

    void send(Encoding encoding) throws IOException {
        tx.clear();
        int n = encoding.encode(tx);
        if (n < 0) {
            throw new IllegalStateException("packet too large for the test buffer");
        }
        socket.getOutputStream().write(tx.array(), 0, n);
    }

    void sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
    }

    /** @return the decoder holding the next packet (valid until the next read), or null when the socket closed */
    PacketDecoder read() throws IOException {
        while (true) {
            if (current != null) {
                int consumed = decoder.decode(current, 0, current.limit());
                int rest = rxLength - consumed;
                System.arraycopy(rx, consumed, rx, 0, rest);
                rxLength = rest;
                current = null;
            }
            ByteBuffer view = ByteBuffer.wrap(Arrays.copyOf(rx, rxLength));
            int n = rxLength == 0 ? 0 : decoder.decode(view, 0, rxLength);
            if (n > 0) {
                current = view;
                return decoder;
            }
            if (rxLength == rx.length) {
                rx = Arrays.copyOf(rx, rx.length * 2);
            }
            int got = in.read(rx, rxLength, rx.length - rxLength);
            if (got < 0) {
                return null;
            }
            rxLength += got;
        }
    }

    /** Reads packets until one of {@code type} arrives; fails on close or timeout. */
    PacketDecoder expect(int type) throws IOException {
        StringBuilder skipped = new StringBuilder();
        while (true) {
            PacketDecoder d = read();
            if (d == null) {
                throw new AssertionError("connection closed while waiting for " + PacketType.name(type)
                        + "; skipped:" + skipped);
            }
            if (d.type() == type) {
                return d;
            }
            skipped.append(' ').append(PacketType.name(d.type()));
        }
    }

    /** @return true when the broker closed the connection within the socket timeout (packets before are read) */
    boolean closedByBroker() throws IOException {
        try {
            while (read() != null) {
                continue;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
