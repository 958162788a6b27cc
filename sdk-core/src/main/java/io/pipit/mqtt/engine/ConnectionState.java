package io.pipit.mqtt.engine;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;

/**
 * Where the current connection stands ({@link Engine#CLOSED}, {@link Engine#CONNECTING}, {@link Engine#CONNECTED},
 * {@link Engine#DISCONNECTING}), whether its CONNECT went out yet, and the one way it ends: the state becomes
 * {@link Engine#CLOSED} and the {@link EngineListener} hears of it once. Keeping every ending here is what
 * makes "reported exactly once" hold however a connection ends: by the network, by keepalive, by the server
 * (refused CONNACK or DISCONNECT, whose Server Reference the {@link NextAttempt} notes first), or by our own
 * DISCONNECT. Ending is rare, so the details built here may allocate.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class ConnectionState {
    private final EngineListener listener;
    private final NextAttempt nextAttempt;
    private int state = Engine.CLOSED;
    private boolean connectSent;

    ConnectionState(EngineListener listener, NextAttempt nextAttempt) {
        this.listener = listener;
        this.nextAttempt = nextAttempt;
    }

    int get() {
        return state;
    }

    boolean is(int expected) {
        return state == expected;
    }

    /** @return true while packets may be read and written: {@link Engine#CONNECTING} or {@link Engine#CONNECTED} */
    boolean isOpen() {
        return state == Engine.CONNECTING || state == Engine.CONNECTED;
    }

    /** A transport connected; CONNECT is still to be written. */
    void opened() {
        state = Engine.CONNECTING;
        connectSent = false;
    }

    void connectSent() {
        connectSent = true;
    }

    /** @return true once this connection's CONNECT has been written */
    boolean isConnectSent() {
        return connectSent;
    }

    /** A CONNACK accepted our CONNECT. */
    void connected() {
        state = Engine.CONNECTED;
    }

    /** Our DISCONNECT is due; the connection ends once it is written. */
    void disconnecting() {
        state = Engine.DISCONNECTING;
    }

    /** Ends the connection and reports it; the caller knows it was not already closed. */
    void close(int reasonCode, boolean byServer, String detail) {
        state = Engine.CLOSED;
        listener.onConnectionClosed(reasonCode, byServer, detail);
    }

    /** The transport failed: reported unless the connection had already ended. */
    void lost(String detail) {
        if (state != Engine.CLOSED) {
            close(Engine.NETWORK_FAILURE, false, detail);
        }
    }

    /**
     * The server ended the connection with a refused CONNACK or a DISCONNECT: notes where it redirects us, then
     * reports the reason code, the server's Reason String and the redirect.
     *
     * @param what how the server ended it, e.g. "server sent DISCONNECT: "
     */
    void endedByServer(String what, int reasonCode, PropertiesView properties) {
        nextAttempt.noteServerReference(reasonCode, properties);
        close(reasonCode, true, what + ReasonCode.describe(reasonCode) + reasonString(properties)
                + redirect(nextAttempt.serverReference()));
    }

    /**
     * @return what becomes of the server's Server Reference, or "" without one. "Redirected" only when following is
     *     on: with it off the next attempt goes to the configured servers, and a user reading "redirected to" would
     *     look for the client at the wrong server; so say it was not followed, and which option follows it.
     */
    private String redirect(String serverReference) {
        if (serverReference == null) {
            return "";
        }
        return nextAttempt.followsServerReference() ? "; redirected to " + serverReference
                : "; the server suggests another server, " + serverReference + ", not followed: following is off"
                        + " (MqttClientBuilder.followServerReference(true) turns it on)";
    }

    /** @return "; server says: ..." with the Reason String, or "" when the packet has none */
    private static String reasonString(PropertiesView properties) {
        return properties.has(Property.REASON_STRING)
                ? "; server says: " + properties.string(Property.REASON_STRING) : "";
    }
}
