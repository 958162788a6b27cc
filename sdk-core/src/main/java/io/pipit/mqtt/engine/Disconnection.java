package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonCodes;
import io.pipit.mqtt.codec.ReasonEncoder;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DISCONNECT we send: asked for by the application (politely, once queued publishes are acknowledged, or
 * at once) or by the engine itself on a protocol error; its reason code, the Session Expiry change it may
 * carry, and the end of the connection once it is written. In MQTT 3.1.1 only the application's end sends
 * DISCONNECT: 3.1.1's DISCONNECT has no reason code and means a normal end (the server discards the Will, spec
 * 3.14.4), so on a protocol error the engine just closes the connection, as spec 4.8 asks. Disconnecting is
 * rare, so the detail strings built here may allocate.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class Disconnection {
    private static final Logger LOG = LoggerFactory.getLogger(Disconnection.class);
    private final ConnectionState state;
    private final MqttProperties properties = new MqttProperties();
    /** Connected and waiting for the queue and the in-flight window to empty before DISCONNECT. */
    private boolean quiescing;
    private int reasonCode;
    private String detail;
    /** The application asked for the end (else the engine ends the connection on an error). */
    private boolean requested;

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
            end(code, why, true);
        }
    }

    /** @return true while a polite disconnect waits for the queue and the in-flight window to empty */
    boolean isQuiescing() {
        return quiescing;
    }

    /** The wait of a polite disconnect is over: its DISCONNECT goes out on this or the next drain. */
    void quiesced() {
        end(reasonCode, detail, true);
    }

    /**
     * The engine ends the connection on an error: stops reading and publishing; on the next drain the acks owed
     * go out, then DISCONNECT with {@code code} (MQTT 5) or nothing (3.1.1), and the connection closes.
     */
    void closeWith(int code, String why) {
        end(code, why, false);
    }

    /**
     * The fixed header at {@code src}'s position announces a packet over our Maximum Packet Size: the connection
     * ends at once, with DISCONNECT 0x95 in MQTT 5, by closing in 3.1.1, and says so in the log and to the
     * listener, naming the size, the limit and the setting that raises it.
     *
     * <p>Why end the connection rather than skip the packet. In MQTT 5 the server broke the protocol: it must
     * not send more than the Maximum Packet Size our CONNECT announced (spec 3.1.2.11.4), and 4.13 asks us to
     * close with 0x95. MQTT 3.1.1 cannot announce a maximum, so the server did nothing wrong, but skipping is no
     * safe choice there either: acknowledging a QoS 1 or 2 message we never read would lose it for good, and not
     * acknowledging it leaves it in flight at the server, which resends it on every reconnect of a persistent
     * session, to be skipped again, for ever. Closing loses nothing the server still holds and tells the user
     * what to raise. Not reading past the header also keeps the receive buffer bounded.
     */
    void closeOnPacketTooLarge(ByteBuffer src, int maximumPacketSize) {
        long header = FixedHeader.read(src, src.position(), src.limit(), FixedHeader.MAX_PACKET_SIZE);
        long size = FixedHeader.headerLength(header) + (long) FixedHeader.remainingLength(header);
        String why = "the server sent a " + PacketType.name((src.get(src.position()) & 0xFF) >>> 4) + " of " + size
                + " bytes, over this client's Maximum Packet Size of " + maximumPacketSize
                + " bytes; raise it with MqttClientBuilder.maximumPacketSize(int) to receive it";
        LOG.warn("closing the connection: {}", why);
        closeWith(ReasonCode.PACKET_TOO_LARGE, why);
    }

    private void end(int code, String why, boolean byApplication) {
        if (state.isOpen()) {
            state.disconnecting();
            // a code DISCONNECT may not carry (e.g. a CONNACK-only one) becomes Unspecified error
            reasonCode = ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.DISCONNECT, code)
                    ? code : ReasonCode.UNSPECIFIED_ERROR;
            detail = why;
            requested = byApplication;
        }
    }

    /**
     * Writes the due DISCONNECT (3.1.1's has no reason code or properties, and is sent only when the application
     * ends the connection) and ends the connection.
     *
     * @return false when {@code dst} lacked room; it is written on a later drain
     */
    boolean writeTo(ByteBuffer dst, ProtocolVersion version) {
        if (!version.isMqtt5() && !requested) {
            state.close(reasonCode, false, detail); // 3.1.1: an error closes the connection, no DISCONNECT
            return true;
        }
        if (ReasonEncoder.encode(dst, PacketType.DISCONNECT, version, version.isMqtt5() ? reasonCode : 0,
                version.isMqtt5() && !properties.isEmpty() ? properties : null) <= 0) {
            return false;
        }
        state.close(reasonCode, false, detail);
        return true;
    }
}
