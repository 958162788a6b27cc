package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketDecoder;
import java.nio.ByteBuffer;

/**
 * The switch from MQTT 5.0 to 3.1.1 for a server that speaks only 3.1.1: recognising its refusal (a CONNACK
 * 0x01 in either shape, see {@link Mqtt311#isVersionRefusal}; or, from brokers that cannot parse a 5.0 CONNECT,
 * a close before any CONNACK) and, when the fallback is enabled, switching the CONNECT and the decoder to 3.1.1
 * for good and asking for an immediate retry. Without the fallback a refusal simply ends the connection.
 *
 * <p>Not thread-safe: engine thread only.
 */
final class VersionFallback {
    private final ConnectEncoder connect;
    private final PacketDecoder decoder;
    private final ConnectionState state;
    private final NextAttempt nextAttempt;
    private boolean enabled;
    /** A CONNACK ever accepted a CONNECT of ours: the server speaks the version we use. */
    private boolean accepted;

    VersionFallback(ConnectEncoder connect, PacketDecoder decoder, ConnectionState state, NextAttempt nextAttempt) {
        this.connect = connect;
        this.decoder = decoder;
        this.state = state;
        this.nextAttempt = nextAttempt;
    }

    void enabled(boolean fallBackTo311) {
        this.enabled = fallBackTo311;
    }

    /** A CONNACK accepted us: from now on a close before CONNACK is a network matter, not a refusal. */
    void onAccepted() {
        accepted = true;
    }

    /**
     * The next connection goes to another server (a redirect's target): whatever the last one accepted says nothing
     * of it, so a close before its CONNACK may again be a 3.1.1-only broker's refusal, as on a first connect.
     */
    void onNewServer() {
        accepted = false;
    }

    /** @return true when {@code src} starts with a 3.1.1 server's refusal of our 5.0 CONNECT */
    boolean isRefusal(ByteBuffer src) {
        return state.is(Engine.CONNECTING) && decoder.version().isMqtt5() && Mqtt311.isVersionRefusal(src);
    }

    /**
     * @return true when a close by the server is the refusal of a 3.1.1-only broker: our 5.0 CONNECT went out,
     *     no CONNACK came, and no 5.0 CONNECT was ever accepted (else the server speaks 5.0, and a reconnect cut
     *     short is a network matter); never with enhanced authentication, which only MQTT 5 servers speak
     */
    boolean isRefusalByClose(boolean enhancedAuth) {
        return state.is(Engine.CONNECTING) && state.isConnectSent() && enabled && decoder.version().isMqtt5()
                && !enhancedAuth && !accepted;
    }

    /** @return true when a CONNACK with {@code reasonCode} should switch us to 3.1.1 */
    boolean isRefusalToFallBackOn(int reasonCode) {
        return reasonCode == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION && decoder.version().isMqtt5() && enabled;
    }

    /**
     * Ends the refused connection: with the fallback on, switches to 3.1.1 for good and asks for an immediate
     * retry. Either way there is nothing to answer; a refusal, like any refused CONNACK, is simply the end.
     *
     * @param src the receive buffer holding the refusal, consumed here; null when it was already handled
     */
    void fallBack(ByteBuffer src) {
        if (!enabled) {
            state.close(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, true,
                    "the server speaks only MQTT 3.1.1 (enable the fallback to use it)");
            return;
        }
        if (src != null) {
            src.position(src.limit());
        }
        connect.properties().clear();
        connect.willProperties().clear();
        connect.version(ProtocolVersion.MQTT_3_1_1);
        decoder.version(ProtocolVersion.MQTT_3_1_1);
        nextAttempt.retryImmediately();
        state.close(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, true,
                "the server does not speak MQTT 5.0; retrying with MQTT 3.1.1");
    }
}
