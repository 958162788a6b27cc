package io.pipit.mqtt.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.security.SecureRandom;

/**
 * MQTT over WebSocket (RFC 6455, client side) on top of another transport: {@link TcpTransport} for
 * {@code ws://}, {@link TlsTransport} for {@code wss://}. {@link #finishConnect} completes the layer below, then
 * the HTTP/1.1 upgrade (subprotocol {@code mqtt}, the key checked against Sec-WebSocket-Accept); after that MQTT
 * bytes travel in masked binary frames out, and arrive from binary frames of any fragmentation. Pings are
 * answered with pongs; a close frame ends the connection with {@link WebSocketException.Reason#CLOSED_BY_SERVER}
 * and its code. Every failure is a {@link WebSocketException} naming its {@link WebSocketException.Reason}.
 *
 * <p><b>Thread-safety:</b> as {@link TcpTransport}: the driver thread only, except {@link #close} (any thread)
 * and {@link #peer}.
 *
 * <p><b>Allocation:</b> the two frame buffers are allocated once, in {@link #connect}; framing, masking (in place,
 * in the outbound buffer, keys from {@link WebSocketMasks}), unframing and pongs allocate nothing. The upgrade
 * and failures do. Over {@code wss://} the TLS provider allocates as {@link TlsTransport} says.
 */
public final class WebSocketTransport implements Transport {
    private static final int BUFFER_LENGTH = 32 * 1024;
    /** Kept free in the outbound buffer behind data frames, so a pong or close reply always fits. */
    private static final int CONTROL_RESERVE = 2 * (WebSocketFrames.MAX_HEADER_LENGTH
            + WebSocketFrames.MAX_CONTROL_PAYLOAD);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final Transport inner;
    private final String hostHeader;
    private final String path;
    private final WebSocketOptions options;
    private WebSocketHandshake handshake;
    private WebSocketFrameReader reader;
    private WebSocketMasks masks;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private boolean innerConnected;
    private boolean upgraded;
    private boolean inputClosed;
    private boolean closeAnswered;
    private long handshakeDeadlineNs = Long.MAX_VALUE;

    /**
     * {@code ws://host:port/path}: WebSocket over plain TCP.
     *
     * @param path the HTTP path with any query, e.g. {@code /mqtt}; null for {@link WebSocketOptions#path()}
     */
    public WebSocketTransport(String host, int port, String path, WebSocketOptions options) {
        this(socket(host, port, options), hostHeader(host, port, 80), path, options);
    }

    /**
     * {@code wss://host:port/path}: WebSocket over TLS, the certificate checked against {@code host} as for
     * {@code mqtts://}.
     *
     * @param path the HTTP path with any query, e.g. {@code /mqtt}; null for {@link WebSocketOptions#path()}
     */
    public WebSocketTransport(String host, int port, String path, WebSocketOptions options, TlsOptions tls) {
        this(new TlsTransport(socket(host, port, options), host, port, tls, null), hostHeader(host, port, 443), path,
                options);
    }

    /** Over any transport: lets tests put a fault proxy or a given TLS session underneath. */
    WebSocketTransport(Transport inner, String hostHeader, String path, WebSocketOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("WebSocket options must not be null; use WebSocketOptions.defaults()");
        }
        this.inner = inner;
        this.hostHeader = hostHeader;
        this.path = path == null || path.isEmpty() ? options.path : path;
        this.options = options;
    }

    /** @return TCP to the server, or to the options' proxy with a CONNECT tunnel to the server */
    private static Transport socket(String host, int port, WebSocketOptions options) {
        if (options == null || options.proxyHost == null) {
            return new TcpTransport(host, port);
        }
        return new HttpProxyTunnel(options.proxyHost, options.proxyPort, hostHeader(host, port, -1),
                options.proxyAuthorization);
    }

    private static String hostHeader(String host, int port, int defaultPort) {
        String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort ? name : name + ":" + port;
    }

    /**
     * Prepares the upgrade and starts connecting the transport below.
     *
     * @throws IllegalStateException when called twice
     */
    @Override
    public void connect() throws IOException {
        if (handshake != null) {
            throw new IllegalStateException("connect() already called for " + peer() + "; use a new transport");
        }
        handshake = new WebSocketHandshake(SEEDS, peer(), options);
        reader = new WebSocketFrameReader(peer(), options.maxFrameLength);
        masks = new WebSocketMasks(SEEDS);
        netIn = ByteBuffer.allocate(BUFFER_LENGTH);
        netOut = ByteBuffer.allocate(BUFFER_LENGTH);
        inner.connect();
    }

    /**
     * Completes the transport below, then sends the upgrade request and checks the answer.
     *
     * @return true once upgraded and MQTT may flow
     * @throws WebSocketException when the upgrade is refused, answered wrongly or times out
     */
    @Override
    public boolean finishConnect() throws IOException {
        if (upgraded) {
            return true;
        }
        if (!innerConnected) {
            if (!inner.finishConnect()) {
                return false;
            }
            innerConnected = true;
            handshakeDeadlineNs = System.nanoTime() + options.handshakeTimeoutNs;
            netOut.put(handshake.request(hostHeader, path));
        }
        flush();
        while (true) {
            netIn.flip();
            try {
                upgraded = handshake.accept(netIn);
            } finally {
                netIn.compact();
            }
            if (upgraded) {
                return true;
            }
            int read = inner.read(netIn);
            if (read < 0) {
                throw new WebSocketException(WebSocketException.Reason.UPGRADE_FAILED, peer()
                        + " closed the connection before answering the WebSocket upgrade of " + path);
            }
            if (read == 0) {
                break;
            }
        }
        if (System.nanoTime() - handshakeDeadlineNs >= 0) {
            throw new WebSocketException(WebSocketException.Reason.HANDSHAKE_TIMEOUT, peer()
                    + " did not answer the WebSocket upgrade of " + path + " within "
                    + options.handshakeTimeoutNs / 1_000_000 + " ms");
        }
        return false;
    }

    /** @return the interest of the transport below until it is connected; then read, and write while bytes wait */
    @Override
    public int connectInterestOps() {
        if (!innerConnected) {
            return inner.connectInterestOps();
        }
        return hasPendingWrites() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    /** @return the deadline of the transport below until it is connected; then the upgrade's */
    @Override
    public long connectDeadlineNs() {
        if (!innerConnected) {
            return inner.connectDeadlineNs();
        }
        return upgraded ? Long.MAX_VALUE : handshakeDeadlineNs;
    }

    /**
     * Unframes what has arrived into {@code dst}, answering pings on the way.
     *
     * @return MQTT bytes copied, 0 when none now, -1 when the connection ended without a close frame
     * @throws WebSocketException for a close frame (with its code) or a malformed frame
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int copied = 0;
        while (true) {
            netIn.flip();
            try {
                copied += reader.read(netIn, dst);
            } finally {
                netIn.compact();
            }
            if (reader.pendingPing() >= 0) {
                if (answerPing()) {
                    continue;
                }
                break;  // no room for the pong yet: reading waits until the socket takes bytes
            }
            if (reader.closeCode() != WebSocketException.NO_CLOSE_CODE) {
                if (copied > 0) {
                    break;  // the MQTT bytes before the close frame count; the next read reports the close
                }
                answerClose();
                throw reader.closed();
            }
            if (!dst.hasRemaining() || inputClosed) {
                break;
            }
            int read = inner.read(netIn);
            if (read < 0) {
                inputClosed = true;
            } else if (read == 0) {
                break;
            }
        }
        flush();
        return copied == 0 && inputClosed ? -1 : copied;
    }

    private boolean answerPing() throws IOException {
        int length = reader.pendingPing();
        if (netOut.remaining() < WebSocketFrames.MAX_HEADER_LENGTH + length) {
            flush();
            if (netOut.remaining() < WebSocketFrames.MAX_HEADER_LENGTH + length) {
                return false;
            }
        }
        WebSocketFrames.writeControl(netOut, WebSocketFrames.OP_PONG, reader.control(), length, masks.next());
        reader.pingAnswered();
        return true;
    }

    /** Echoes the close code, as RFC 6455 asks; best effort, since the connection ends either way. */
    private void answerClose() throws IOException {
        if (closeAnswered) {
            return;
        }
        closeAnswered = true;
        int code = reader.closeCode();
        int length = code == WebSocketFrames.NO_STATUS_CODE ? 0 : 2;
        byte[] payload = reader.control();
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        if (netOut.remaining() >= WebSocketFrames.MAX_HEADER_LENGTH + length) {
            WebSocketFrames.writeControl(netOut, WebSocketFrames.OP_CLOSE, payload, length, masks.next());
            flush();
        }
    }

    /**
     * Frames from {@code src} as many bytes as the outbound buffer has room for, in binary frames of at most
     * {@link WebSocketOptions#maxFrameLength()} bytes, and writes what the socket takes.
     *
     * @return MQTT bytes consumed from {@code src}
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        int before = src.remaining();
        flush();
        while (src.hasRemaining()) {
            int room = netOut.remaining() - CONTROL_RESERVE - WebSocketFrames.MAX_HEADER_LENGTH;
            if (room <= 0) {
                break;
            }
            int length = Math.min(src.remaining(), Math.min(room, options.maxFrameLength));
            WebSocketFrames.write(netOut, WebSocketFrames.OP_BINARY, src, length, masks.next());
        }
        flush();
        return before - src.remaining();
    }

    private void flush() throws IOException {
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        try {
            inner.write(netOut);
        } finally {
            netOut.compact();
        }
    }

    /** @return true while frames wait in this layer or the one below */
    @Override
    public boolean hasPendingWrites() {
        return netOut != null && netOut.position() > 0 || inner.hasPendingWrites();
    }

    @Override
    public SelectableChannel channel() {
        return inner.channel();
    }

    @Override
    public String peer() {
        return inner.peer();
    }

    /**
     * Closes the socket at once, without a close frame: it may come from any thread, where the frame buffers
     * cannot be touched, and MQTT's DISCONNECT already told the server the connection ends.
     */
    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "WebSocketTransport[" + peer() + path + (upgraded ? ", upgraded]" : "]");
    }
}
