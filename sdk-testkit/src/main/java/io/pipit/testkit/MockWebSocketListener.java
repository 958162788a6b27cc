package io.pipit.testkit;

import io.pipit.testkit.internal.WebSocketBridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code ws://} listener in front of a {@link MockBroker}: each WebSocket client is upgraded (path
 * {@code /mqtt}, its subprotocol echoed) and bridged to the broker's TCP port, so everything the broker records
 * and scripts works over WebSocket too. On top it scripts WebSocket faults: fragmented frames, a refused upgrade,
 * a wrong subprotocol, close frames and raw (malformed) frames.
 *
 * <pre>{@code
 * try (MockBroker broker = MockBroker.start(); MockWebSocketListener ws = MockWebSocketListener.start(broker)) {
 *     connectYourClientTo(ws.uri());   // ws://127.0.0.1:<port>/mqtt
 *     ws.sendClose(1011, "maintenance");
 * }
 * }</pre>
 *
 * <p>Thread-safety: every method is safe from any thread. It accepts on one daemon thread and runs two per
 * client ({@code pipit-mock-ws-<port>...}); {@link #close()} ends them all. Fault methods act on every client
 * connected at the time.
 */
public final class MockWebSocketListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MockWebSocketListener.class);

    private final ServerSocket server;
    private final int brokerPort;
    private final WebSocketBridge.Answer answer = new WebSocketBridge.Answer();
    private final List<WebSocketBridge> bridges = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private MockWebSocketListener(MockBroker broker) throws IOException {
        this.brokerPort = broker.port();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "pipit-mock-ws-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return a listener on an ephemeral loopback port bridging to {@code broker}; close it before the broker */
    public static MockWebSocketListener start(MockBroker broker) {
        try {
            return new MockWebSocketListener(broker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the mock WebSocket listener", e);
        }
    }

    /** @return the loopback port */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code ws://127.0.0.1:<port>/mqtt} */
    public String uri() {
        return "ws://127.0.0.1:" + port() + answer.pathForUri();
    }

    /** Upgrades only on this path from now on (default {@code /mqtt}); others are answered 404 Not Found. */
    public MockWebSocketListener path(String path) {
        answer.path(path);
        return this;
    }

    /** Refuses upgrades from now on with this HTTP status and reason, e.g. {@code 403, "Forbidden"}. */
    public MockWebSocketListener refuseUpgrade(int status, String reason) {
        answer.refuse(status, reason);
        return this;
    }

    /** Answers upgrades from now on with this subprotocol whatever the client asked for. */
    public MockWebSocketListener answerSubprotocol(String subprotocol) {
        answer.subprotocol(subprotocol);
        return this;
    }

    /** Cuts what the broker sends into binary + continuation fragments of this many payload bytes (0: off). */
    public MockWebSocketListener fragmentFrames(int bytes) {
        answer.fragmentLength(bytes);
        return this;
    }

    /** Sends every connected client a close frame with this status code and reason. */
    public void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        sendRaw(WebSocketBridge.frame(0x88, payload, payload.length));
    }

    /** Sends every connected client a ping with this payload (at most 125 bytes). */
    public void sendPing(byte[] payload) {
        sendRaw(WebSocketBridge.frame(0x89, payload, payload.length));
    }

    /** Writes these bytes to every connected client between whole frames: for malformed frames. */
    public void sendRaw(byte[] bytes) {
        for (WebSocketBridge bridge : bridges) {
            try {
                bridge.write(bytes);
            } catch (IOException e) {
                LOG.debug("a WebSocket client went away before the raw bytes: {}", e.toString());
            }
        }
    }

    /** @return the pongs received from all clients so far */
    public int pongs() {
        int sum = 0;
        for (WebSocketBridge bridge : bridges) {
            sum += bridge.pongs();
        }
        return sum;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                bridges.add(WebSocketBridge.open(client, brokerPort, answer, "pipit-mock-ws-" + port()));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("mock WebSocket listener on {}: a connection failed", port(), e);
                }
            }
        }
    }

    /** Stops accepting and closes every bridged connection; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the mock WebSocket listener failed; it is gone either way", e);
        }
        for (WebSocketBridge bridge : bridges) {
            bridge.close();
        }
    }

    @Override
    public String toString() {
        return "MockWebSocketListener[" + uri() + " -> " + brokerPort + "]";
    }
}
