package io.pipit.mqtt.engine;

import io.pipit.mqtt.Authenticator;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonEncoder;
import java.nio.ByteBuffer;

/**
 * MQTT 5 enhanced authentication (spec 4.12) for the engine: puts the method and first data into CONNECT,
 * answers each AUTH Continue through the {@link Authenticator}, checks the server's final proof, and starts
 * re-authentication on request. Not thread-safe: engine thread only.
 */
final class EnhancedAuth {
    private final MqttProperties out = new MqttProperties();
    private Authenticator authenticator;
    private int outReason = -1;

    void authenticator(Authenticator mechanism) {
        this.authenticator = mechanism;
    }

    boolean isEnabled() {
        return authenticator != null;
    }

    /** A new connection: start an exchange, its first data going into CONNECT's properties. */
    void begin(MqttProperties connectProperties, ProtocolVersion version) {
        outReason = -1;
        if (authenticator == null || !version.isMqtt5()) {
            return;
        }
        connectProperties.string(Property.AUTHENTICATION_METHOD, authenticator.method());
        byte[] initial = authenticator.start();
        if (initial == null) {
            connectProperties.remove(Property.AUTHENTICATION_DATA);
        } else {
            connectProperties.put(Property.AUTHENTICATION_DATA, initial);
        }
    }

    /** Queues AUTH 0x19 to re-authenticate; @return false when there is no authenticator */
    boolean reauthenticate() {
        if (authenticator == null) {
            return false;
        }
        queue(ReasonCode.RE_AUTHENTICATE, authenticator.start());
        return true;
    }

    /**
     * An AUTH from the server: the next step of an exchange, or the success of a re-authentication.
     *
     * @throws MqttCodecException 0x82 for an AUTH nobody asked for
     * @throws MqttException when the mechanism rejects the server's data
     */
    void onAuth(int reasonCode, PropertiesView properties, boolean connected) throws MqttException {
        if (authenticator == null || !properties.string(Property.AUTHENTICATION_METHOD).toString()
                .equals(authenticator.method())) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "AUTH for a method we did not ask for");
        }
        if (reasonCode == ReasonCode.CONTINUE_AUTHENTICATION) {
            queue(ReasonCode.CONTINUE_AUTHENTICATION, authenticator.challenge(data(properties)));
        } else if (reasonCode == ReasonCode.SUCCESS && connected) {
            authenticator.complete(data(properties));
        } else {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "AUTH " + ReasonCode.describe(reasonCode)
                    + " from a server");
        }
    }

    /** The server accepted the connection: check its final proof (CONNACK's Authentication Data). */
    void complete(PropertiesView connackProperties) throws MqttException {
        if (authenticator != null) {
            authenticator.complete(data(connackProperties));
        }
    }

    /** Writes a queued AUTH; @return false when {@code dst} lacked room */
    boolean drainTo(ByteBuffer dst, ProtocolVersion version) {
        if (outReason < 0) {
            return true;
        }
        if (ReasonEncoder.encode(dst, PacketType.AUTH, version, outReason, out) < 0) {
            return false;
        }
        outReason = -1;
        return true;
    }

    private void queue(int reasonCode, byte[] data) {
        out.clear().string(Property.AUTHENTICATION_METHOD, authenticator.method());
        if (data != null) {
            out.put(Property.AUTHENTICATION_DATA, data);
        }
        outReason = reasonCode;
    }

    private static byte[] data(PropertiesView properties) {
        byte[] data = properties.binary(Property.AUTHENTICATION_DATA).toByteArray();
        return data == null ? new byte[0] : data;
    }
}
