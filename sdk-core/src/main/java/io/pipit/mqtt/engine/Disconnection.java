package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonCodes;
import io.pipit.mqtt.codec.ReasonEncoder;
import java.nio.ByteBuffer;

/**
 * The DISCONNECT we send: asked for by the application (politely, once queued publishes are acknowledged, or
 * at once) or by the engine itself on a protocol error; its reason code, the Session Expiry change it may
 * carry, and the end of the connection once it is written. Disconnecting is rare, so the detail strings built
 * here may allocate.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class Disconnection {
    private final ConnectionState state;
    private final MqttProperties properties = new MqttProperties();
    /** Connected and waiting for the queue and the in-flight window to empty before DISCONNECT. */
    private boolean quiescing;
    private int reasonCode;
    private String detail;

    Disconnection(ConnectionState state) {
        this.state = state;
    }

    /** A new connection: no DISCONNECT is pending on it. */
    void onNewConnection() {
        properties.clear();
        quiescing = false;
    }

    /**
     * The application ends the connection: once the queue drains when connected and not {@code now}, else on
     * the next drain.
     *
     * @param sessionExpirySeconds the Session Expiry Interval to send, or -1 to leave CONNECT's in force
     */
    void request(int code, boolean now, long sessionExpirySeconds) {
        properties.clear();
        if (sessionExpirySeconds >= 0) {
            properties.put(Property.SESSION_EXPIRY_INTERVAL, sessionExpirySeconds);
        }
        String why = "client disconnected: " + ReasonCode.describe(code);
        if (state.is(Engine.CONNECTED) && !now) {
            quiescing = true;
            reasonCode = code;
            detail = why;
        } else {
            closeWith(code, why);
        }
    }

    /** @return true while a polite disconnect waits for the queue and the in-flight window to empty */
    boolean isQuiescing() {
        return quiescing;
    }

    /** The wait of a polite disconnect is over: its DISCONNECT goes out on this or the next drain. */
    void quiesced() {
        closeWith(reasonCode, detail);
    }

    /** Stops reading and publishing; DISCONNECT with {@code code} goes out on the next drain. */
    void closeWith(int code, String why) {
        if (state.isOpen()) {
            state.disconnecting();
            // a code DISCONNECT may not carry (e.g. a CONNACK-only one) becomes Unspecified error
            reasonCode = ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.DISCONNECT, code)
                    ? code : ReasonCode.UNSPECIFIED_ERROR;
            detail = why;
        }
    }

    /**
     * Writes the due DISCONNECT (3.1.1's has no reason code or properties) and ends the connection.
     *
     * @return false when {@code dst} lacked room; it is written on a later drain
     */
    boolean writeTo(ByteBuffer dst, ProtocolVersion version) {
        if (ReasonEncoder.encode(dst, PacketType.DISCONNECT, version, version.isMqtt5() ? reasonCode : 0,
                version.isMqtt5() && !properties.isEmpty() ? properties : null) <= 0) {
            return false;
        }
        state.close(reasonCode, false, detail);
        return true;
    }
}
