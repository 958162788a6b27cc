package io.pipit.mqtt.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;

/**
 * TCP to an HTTP proxy, then {@code CONNECT host:port} (RFC 9110 section 9.3.6): once the proxy answers 2xx the
 * socket is a byte pipe to the target, and the layers above (TLS, WebSocket) run over it unchanged. A refusal is a
 * {@link WebSocketException} with reason {@link WebSocketException.Reason#PROXY_REFUSED} and the proxy's status
 * line. Allocates only while connecting.
 *
 * <p><b>Thread-safety:</b> as {@link TcpTransport}: the driver thread only, except {@link #close} and {@link #peer}.
 */
final class HttpProxyTunnel implements Transport {
    private static final int MAX_ANSWER = 8 * 1024;

    private final TcpTransport proxy;
    private final String target;
    private final String authorization;
    private ByteBuffer out;
    private ByteBuffer in;
    private boolean proxyConnected;
    private boolean open;

    /**
     * @param target "host:port" to reach through the proxy
     * @param authorization the Proxy-Authorization value (e.g. "Basic ..."), or null
     */
    HttpProxyTunnel(String proxyHost, int proxyPort, String target, String authorization) {
        this.proxy = new TcpTransport(proxyHost, proxyPort);
        this.target = target;
        this.authorization = authorization;
    }

    @Override
    public void connect() throws IOException {
        String request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
        out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
        in = ByteBuffer.allocate(MAX_ANSWER);
        proxy.connect();
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (open) {
            return true;
        }
        if (!proxyConnected) {
            if (!proxy.finishConnect()) {
                return false;
            }
            proxyConnected = true;
        }
        if (out.hasRemaining()) {
            proxy.write(out);
        }
        while (!out.hasRemaining()) {
            int read = proxy.read(in);
            if (read < 0) {
                throw refused("closed the connection before answering CONNECT");
            }
            int end = WebSocketHandshake.indexOfBlankLine(in, 0, in.position());
            if (end >= 0) {
                checkStatus(end);
                return open;
            }
            if (!in.hasRemaining()) {
                throw refused("answered CONNECT with a header longer than " + MAX_ANSWER + " bytes");
            }
            if (read == 0) {
                break;
            }
        }
        return false;
    }

    private void checkStatus(int end) throws WebSocketException {
        String header = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
        String status = header.split("\r\n", 2)[0];
        if (!WebSocketHandshake.isStatus(status, "2")) {
            throw refused("refused CONNECT " + target + ": '" + status + "'");
        }
        if (in.position() > end + 4) {
            // the target speaks only after the client (TLS ClientHello, HTTP upgrade): nothing may follow yet
            throw refused("sent bytes after its CONNECT answer, before the client spoke");
        }
        open = true;
    }

    private WebSocketException refused(String what) {
        return new WebSocketException(WebSocketException.Reason.PROXY_REFUSED, "proxy " + proxy.peer() + " " + what);
    }

    /** @return OP_CONNECT until the proxy is reached; then read, with write while the request is going out */
    @Override
    public int connectInterestOps() {
        if (!proxyConnected) {
            return SelectionKey.OP_CONNECT;
        }
        return out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    }

    @Override
    public long connectDeadlineNs() {
        return Long.MAX_VALUE;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return proxy.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return proxy.write(src);
    }

    @Override
    public boolean hasPendingWrites() {
        return false;
    }

    @Override
    public SelectableChannel channel() {
        return proxy.channel();
    }

    /** @return the target's "host:port" (the proxy is named in failures) */
    @Override
    public String peer() {
        return target;
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}
