package io.pipit.mqtt.driver;

import io.pipit.mqtt.keepalive.Backoff;
import io.pipit.mqtt.transport.TcpTransport;
import io.pipit.mqtt.transport.TlsOptions;
import io.pipit.mqtt.transport.TlsTransport;
import io.pipit.mqtt.transport.Transport;
import io.pipit.mqtt.transport.WebSocketOptions;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where and when a connection tries next: the configured servers in turn, a Server Reference the last server
 * pointed to, and the backoff between attempts; and the transport each server's scheme asks for. Not
 * thread-safe: the connection's driving thread.
 */
final class ServerRotation {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRotation.class);

    private final ServerAddress[] servers;
    private final Backoff backoff;
    private int index;
    private ServerAddress redirect;
    /** The server the last transport went to: a configured one or a redirect's target. */
    private ServerAddress current;
    private TlsOptions tls = TlsOptions.defaults();
    private WebSocketOptions webSocket = WebSocketOptions.defaults();

    ServerRotation(ServerAddress[] servers, Backoff backoff) {
        this.servers = servers.clone();
        this.backoff = backoff;
    }

    void tls(TlsOptions options) {
        this.tls = options;
    }

    void webSocket(WebSocketOptions options) {
        this.webSocket = options;
    }

    /** @return a transport, not yet connected, to the redirect target if any, else to the current server */
    Transport open() throws IOException {
        ServerAddress server = redirect != null ? redirect : servers[index];
        redirect = null;
        current = server;
        LOG.debug("connecting to {}", server);
        return server.webSocket() ? WebSocketTransports.open(server, webSocket, tls)
                : server.secure() ? new TlsTransport(server.host(), server.port(), tls)
                : new TcpTransport(server.host(), server.port());
    }

    /**
     * The next attempt goes at once to where {@code reference} (a Server Reference) points, or, for null, to the
     * server just tried, again: a retry in MQTT 3.1.1 after a fallback belongs to the server that refused 5.0,
     * which may be a redirect's target rather than a configured server.
     */
    void retryAt(String reference) {
        if (reference == null) {
            redirect = current;
            return;
        }
        redirect = ServerAddress.fromReference(reference, servers[index].secure());
        if (redirect == null) {
            LOG.warn("cannot use Server Reference '{}'; retrying the configured servers", reference);
        }
    }

    /** @return how long to wait before the next attempt, which goes to the next configured server */
    long failedNs(long nowNs) {
        index = (index + 1) % servers.length;
        return backoff.nextDelayNs(nowNs);
    }

    /** A connection was established: the backoff starts over once it has held for its stable time. */
    void connected(long nowNs) {
        backoff.onConnected(nowNs);
    }

    /** The network changed or came back: the next wait starts from the shortest delay. */
    void resetBackoff() {
        backoff.reset();
    }
}
