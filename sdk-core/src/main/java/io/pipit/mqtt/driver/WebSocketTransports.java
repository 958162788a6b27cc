package io.pipit.mqtt.driver;

import io.pipit.mqtt.transport.TlsOptions;
import io.pipit.mqtt.transport.Transport;
import io.pipit.mqtt.transport.WebSocketOptions;
import io.pipit.mqtt.transport.WebSocketTransport;

/** Makes the transport for a {@code ws://} or {@code wss://} address. Stateless. */
final class WebSocketTransports {
    private WebSocketTransports() {
    }

    static Transport open(ServerAddress server, WebSocketOptions options, TlsOptions tls) {
        return server.secure()
                ? new WebSocketTransport(server.host(), server.port(), server.path(), options, tls)
                : new WebSocketTransport(server.host(), server.port(), server.path(), options);
    }
}
