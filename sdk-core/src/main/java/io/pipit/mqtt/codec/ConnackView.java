package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received CONNACK (spec 3.2 of MQTT 5.0 and of 3.1.1): Session Present, the Reason Code
 * (5.0) or Return Code (3.1.1), and the properties where they lie in the receive buffer. Nothing is copied;
 * the view is valid until it is wrapped again. Not thread-safe.
 *
 * <p>Malformed cases: fixed-header flags other than 0, a reserved Connect Acknowledge Flag (bits 7-1) set,
 * a code the version does not define for CONNACK, truncation or bytes after the last field (0x81); Session
 * Present with a non-zero code (0x82, [MQTT-3.2.2-6], [MQTT-3.2.2-4] in 3.1.1); and every property rule of
 * {@link PropertiesView}.
 */
public final class ConnackView {
    private boolean sessionPresent;
    private int reasonCode;
    private final PropertiesView properties;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public ConnackView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    ConnackView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the CONNACK whose variable header starts at {@code offset}.
     *
     * @param flags the low nibble of the fixed header's first byte (must be 0)
     * @param version the version this connection's CONNECT asked for
     * @throws MqttCodecException for any malformed input
     */
    public void wrap(ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion version) {
        if (flags != 0) {
            throw MqttCodecException.malformed(offset, "CONNACK with fixed-header flags 0x"
                    + Integer.toHexString(flags) + "; they must be 0");
        }
        int limit = offset + remainingLength;
        int ackFlags = Wire.u8(buffer, offset, limit, "CONNACK Connect Acknowledge Flags");
        if ((ackFlags & 0xFE) != 0) {
            throw MqttCodecException.malformed(offset, String.format(
                    "CONNACK Connect Acknowledge Flags 0x%02X: bits 7-1 are reserved and must be 0", ackFlags));
        }
        String field = version.isMqtt5() ? "CONNACK Reason Code" : "CONNACK Return Code";
        int code = Wire.u8(buffer, offset + 1, limit, field);
        ReasonCodes.check(version, PacketType.CONNACK, code, offset + 1);
        if (ackFlags != 0 && code != 0) {
            throw MqttCodecException.protocolError(offset, String.format(
                    "CONNACK with Session Present set and the non-zero code 0x%02X", code));
        }
        sessionPresent = ackFlags != 0;
        reasonCode = code;
        int index = offset + 2;
        if (version.isMqtt5()) {
            index = properties.wrap(buffer, index, limit, PacketType.CONNACK);
        } else {
            properties.clear();
        }
        if (index != limit) {
            throw MqttCodecException.malformed(index, (limit - index) + " byte(s) after the last CONNACK field");
        }
    }

    /** @return true when the server resumed a session it kept for this Client Identifier */
    public boolean sessionPresent() {
        return sessionPresent;
    }

    /**
     * @return the MQTT 5.0 Reason Code (0x00 Success, 0x80 and above a refusal), or for MQTT 3.1.1 the
     *     Return Code as sent (0 accepted, 1..5 refused)
     */
    public int reasonCode() {
        return reasonCode;
    }

    /** @return the properties (always empty for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }
}
