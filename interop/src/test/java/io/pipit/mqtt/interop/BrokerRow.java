package io.pipit.mqtt.interop;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.transport.TlsOptions;
import java.util.function.Supplier;
import org.opentest4j.TestAbortedException;

/**
 * One row of the matrix: a broker, how to start it, how the client reaches it (transport) and the protocol
 * version the client asks for. The suite starts the broker before the row's scenarios and stops it after them.
 * Not thread-safe: JUnit drives a row from one thread.
 */
final class BrokerRow implements AutoCloseable {
    /** How the client reaches the broker: the URI scheme and path, and whether TLS settings are needed. */
    enum Transport {
        TCP("mqtt", "", "TCP"),
        TLS("mqtts", "", "TLS"),
        WEBSOCKET("ws", "/mqtt", "WebSocket"),
        WEBSOCKET_TLS("wss", "/mqtt", "WebSocket over TLS");

        private final String scheme;
        private final String path;
        private final String title;

        Transport(String scheme, String path, String title) {
            this.scheme = scheme;
            this.path = path;
            this.title = title;
        }

        boolean secure() {
            return this == TLS || this == WEBSOCKET_TLS;
        }

        String title() {
            return title;
        }
    }

    /**
     * A started broker: the port of the row's transport, how to stop it, and the TLS settings that trust its
     * test-time certificate ({@code null} for a plain transport).
     */
    record Running(int port, AutoCloseable stopper, TlsOptions tls) {
        Running(int port, AutoCloseable stopper) {
            this(port, stopper, null);
        }
    }

    private final String broker;
    private final Transport transport;
    private final ProtocolVersion requested;
    private final Supplier<Running> starter;
    private Running running;

    BrokerRow(String broker, ProtocolVersion requested, Supplier<Running> starter) {
        this(broker, Transport.TCP, requested, starter);
    }

    BrokerRow(String broker, Transport transport, ProtocolVersion requested, Supplier<Running> starter) {
        this.broker = broker;
        this.transport = transport;
        this.requested = requested;
        this.starter = starter;
    }

    /** Starts the broker; a missing Debian broker is recorded in the matrix before the skip (or CI failure). */
    void start() {
        try {
            running = starter.get();
        } catch (TestAbortedException e) {
            InteropMatrix.rowSkipped(this, "skipped: " + e.getMessage());
            throw e;
        } catch (RuntimeException | AssertionError e) {
            InteropMatrix.rowSkipped(this, "broker did not start: " + e.getMessage());
            throw e;
        }
    }

    /** @return the broker's name and version, e.g. "mosquitto 2.0.11" */
    String broker() {
        return broker;
    }

    /** @return how the client reaches the broker */
    Transport transport() {
        return transport;
    }

    /** @return the TLS settings trusting the broker's test certificate, or {@code null} on a plain transport */
    TlsOptions tls() {
        if (running == null) {
            throw new IllegalStateException(broker + " is not running");
        }
        return running.tls();
    }

    /** @return the version the client asks for in CONNECT (3.1.1 may still be negotiated by fallback) */
    ProtocolVersion requested() {
        return requested;
    }

    /** @return the broker's loopback port */
    int port() {
        if (running == null) {
            throw new IllegalStateException(broker + " is not running");
        }
        return running.port();
    }

    /** @return the broker's address in the row's transport, e.g. "mqtt://127.0.0.1:PORT", "ws://127.0.0.1:PORT/mqtt" */
    String uri() {
        return uri(port());
    }

    /**
     * @return the row's address with another port, e.g. a TCP fault proxy before the broker: TLS and WebSocket
     *         run over the proxied TCP connection unchanged
     */
    String uri(int otherPort) {
        return transport.scheme + "://127.0.0.1:" + otherPort + transport.path;
    }

    /** @return a short name for topics and client ids, e.g. "mosquitto-5", "artemis-5-wss" */
    String slug() {
        return broker.split(" ")[0].toLowerCase(java.util.Locale.ROOT) + "-" + (requested.isMqtt5() ? "5" : "311")
                + (transport == Transport.TCP ? "" : "-" + transport.scheme);
    }

    @Override
    public void close() throws Exception {
        if (running != null) {
            running.stopper().close();
            running = null;
        }
    }

    @Override
    public String toString() {
        return broker + " over " + transport.title() + ", client asks for "
                + (requested.isMqtt5() ? "MQTT 5" : "MQTT 3.1.1");
    }
}
