package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received DISCONNECT (spec 3.14) or AUTH (spec 3.15): the two packets whose whole
 * body is "an optional reason code, then optional properties". {@link #type()} says which one was
 * wrapped. Nothing is copied; the view is valid until it is wrapped again. Not thread-safe: it belongs
 * to the thread that decodes.
 *
 * <p>MQTT 5.0 short forms, all decoded: Remaining Length 0 means reason 0x00 and no properties; 1 means a
 * reason code and no properties; 2 or more means a reason code then a property section, which must end
 * exactly where the packet does. MQTT 3.1.1 has no AUTH, and its DISCONNECT has Remaining Length 0.
 *
 * <p>Malformed cases: reserved fixed-header flags set, a reason code the packet may not carry, bytes
 * left over after the properties, AUTH or a non-empty DISCONNECT on 3.1.1 (all 0x81); an AUTH that
 * carries a reason code or properties but no Authentication Method (0x82, spec 3.15.2.2.2); and every
 * property rule of {@link PropertiesView}. Also used by {@link AckView} for the same tail after its
 * Packet Identifier.
 */
public final class ReasonView {
    private int type;
    private int reasonCode;
    private final PropertiesView properties;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public ReasonView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    ReasonView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the DISCONNECT or AUTH whose variable header starts at {@code offset}.
     *
     * @param type {@link PacketType#DISCONNECT} or {@link PacketType#AUTH}, as the dispatcher read it
     * @param flags the low nibble of the fixed header's first byte
     * @throws MqttCodecException for any malformed input
     * @throws IllegalArgumentException when {@code type} is neither DISCONNECT nor AUTH (a dispatcher bug)
     */
    public void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength,
            ProtocolVersion version) {
        if (type != PacketType.DISCONNECT && type != PacketType.AUTH) {
            throw new IllegalArgumentException("ReasonView reads DISCONNECT and AUTH, not " + PacketType.name(type));
        }
        this.type = type;
        checkFlags(type, flags, offset);
        if (!version.isMqtt5()) {
            if (type == PacketType.AUTH) {
                throw MqttCodecException.malformed(offset, "AUTH is not an MQTT 3.1.1 packet");
            }
            if (remainingLength != 0) {
                throw MqttCodecException.malformed(offset, "MQTT 3.1.1 DISCONNECT must have Remaining Length 0, was "
                        + remainingLength);
            }
            clearTail();
            return;
        }
        readTail(type, buffer, offset, offset + remainingLength);
        if (type == PacketType.AUTH && remainingLength > 0 && !properties.has(Property.AUTHENTICATION_METHOD)) {
            // Only the bare "Success, nothing else" AUTH (Remaining Length 0) may leave the method out.
            throw MqttCodecException.protocolError(offset, "AUTH without an Authentication Method");
        }
    }

    /**
     * Reads the MQTT 5.0 tail "[reason code [property section]]" from {@code index} to {@code limit}: what
     * DISCONNECT and AUTH hold after the fixed header and the four acks after their Packet Identifier.
     */
    void readTail(int scope, ByteBuffer buffer, int index, int limit) {
        reasonCode = ReasonCode.SUCCESS;
        int at = index;
        if (at < limit) {
            reasonCode = buffer.get(at) & 0xFF;
            ReasonCodes.check(ProtocolVersion.MQTT_5, scope, reasonCode, at);
            at++;
        }
        if (at < limit) {
            at = properties.wrap(buffer, at, limit, scope);
        } else {
            properties.clear();
        }
        if (at != limit) {
            throw MqttCodecException.malformed(at, (limit - at) + " byte(s) left over after the properties of "
                    + PacketType.name(scope));
        }
    }

    /** The state of a packet with no reason code and no properties: Success, nothing else. */
    void clearTail() {
        reasonCode = ReasonCode.SUCCESS;
        properties.clear();
    }

    /**
     * Checks the fixed-header flag nibble (spec 2.1.3). The dispatcher checks it too; this keeps a view
     * that is used on its own (by a fuzzer, a test, the mock broker) just as strict.
     */
    static void checkFlags(int type, int flags, int offset) {
        int required = PacketType.requiredFlags(type);
        if (flags != required) {
            throw MqttCodecException.malformed(offset, PacketType.name(type) + " fixed-header flags must be 0b"
                    + bits(required) + ", were 0b" + bits(flags));
        }
    }

    private static String bits(int nibble) {
        String binary = Integer.toBinaryString(nibble & 0xF | 0x10);
        return binary.substring(binary.length() - 4);
    }

    /** @return {@link PacketType#DISCONNECT} or {@link PacketType#AUTH} */
    public int type() {
        return type;
    }

    /** @return the reason code; 0x00 when the packet omitted it, and always 0x00 for MQTT 3.1.1 */
    public int reasonCode() {
        return reasonCode;
    }

    /** @return the properties (empty when omitted, and always for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }
}
