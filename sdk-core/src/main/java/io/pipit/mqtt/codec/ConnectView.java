package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * A flyweight over a received CONNECT (spec 3.1 of MQTT 5.0 and of 3.1.1): protocol version, flags, Keep
 * Alive, properties, and the payload's Client Identifier, Will and credentials where they lie in the receive
 * buffer. Nothing is copied; the view is valid until it is wrapped again. Not thread-safe.
 *
 * <p>A client never receives CONNECT: this view serves the test kit's mock broker, the fault proxy and the
 * fuzzers, which need the same strict reading a broker does.
 *
 * <p>CONNECT carries its own version, so {@link #wrap} learns it from the Protocol Level instead of being told.
 * Malformed cases: a Protocol Name other than "MQTT" (3.1's "MQIsdp" included) or a Protocol Level other than
 * 4 or 5 (0x84 Unsupported Protocol Version); the reserved Connect Flag set, Will QoS 3, Will QoS or Will
 * Retain without the Will Flag, or (3.1.1 only) a Password without a User Name (0x81); a Will Topic that is
 * empty or holds a wildcard (0x90); in 3.1.1, an empty Client Identifier without Clean Session (0x85, which a
 * 3.1.1 server answers with return code 0x02); bytes after the last field, truncation and invalid UTF-8
 * (0x81); and every property rule of {@link PropertiesView}.
 */
public final class ConnectView {
    private static final int USER_NAME_FLAG = 0x80;
    private static final int PASSWORD_FLAG = 0x40;
    private static final int WILL_RETAIN_FLAG = 0x20;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_FLAG = 0x04;
    private static final int CLEAN_START_FLAG = 0x02;
    private static final int RESERVED_FLAG = 0x01;

    private ProtocolVersion version;
    private int connectFlags;
    private int keepAliveSeconds;
    private final PropertiesView properties;
    private final Utf8View clientId = new Utf8View();
    /** Made with the first Will (or first asked for): most servers' clients never send one. */
    private PropertiesView willProperties;
    private final Utf8View willTopic = new Utf8View();
    private final BinaryView willPayload = new BinaryView();
    private final Utf8View userName = new Utf8View();
    private final BinaryView password = new BinaryView();

    /** A view with property sections of its own, for decoding CONNECT on its own. */
    public ConnectView() {
        this(new PropertiesView());
    }

    /**
     * A view reading the CONNECT properties into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties. The Will Properties have their own.
     */
    ConnectView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the CONNECT whose variable header starts at {@code offset}.
     *
     * @param flags the low nibble of the fixed header's first byte (must be 0)
     * @param ignored the connection's version, unused: CONNECT is what sets it, so 3.1.1 and 5.0 are read
     *     alike (see {@link #version()}); a server that speaks only one compares afterwards
     * @throws MqttCodecException for any malformed input
     */
    public void wrap(ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion ignored) {
        if (flags != 0) {
            throw MqttCodecException.malformed(offset, "CONNECT with fixed-header flags 0x"
                    + Integer.toHexString(flags) + "; they must be 0");
        }
        int limit = offset + remainingLength;
        int index = readProtocol(buffer, offset, limit);
        connectFlags = Wire.u8(buffer, index, limit, "CONNECT Connect Flags");
        checkConnectFlags(index);
        keepAliveSeconds = Wire.u16(buffer, index + 1, limit, "CONNECT Keep Alive");
        index += 3;
        if (version.isMqtt5()) {
            index = properties.wrap(buffer, index, limit, PacketType.CONNECT);
        } else {
            properties.clear();
        }
        int clientIdAt = index;
        index = clientId.read(buffer, index, limit, "CONNECT Client Identifier");
        if (!version.isMqtt5() && clientId.byteLength() == 0 && !cleanStart()) {
            // [MQTT-3.1.3-7]: a 3.1.1 server has no session to resume for a client with no identifier.
            throw new MqttCodecException(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, clientIdAt,
                    "MQTT 3.1.1 CONNECT with an empty Client Identifier needs Clean Session set");
        }
        index = readWill(buffer, index, limit);
        index = readCredentials(buffer, index, limit);
        if (index != limit) {
            throw MqttCodecException.malformed(index, (limit - index) + " byte(s) after the last CONNECT field");
        }
    }

    /** Reads Protocol Name and Protocol Level; @return the index of the Connect Flags. */
    private int readProtocol(ByteBuffer buffer, int offset, int limit) {
        int nameLength = Wire.u16(buffer, offset, limit, "CONNECT Protocol Name length");
        Wire.require(offset + 2, nameLength, limit, "CONNECT Protocol Name");
        boolean mqtt = nameLength == 4 && buffer.get(offset + 2) == 'M' && buffer.get(offset + 3) == 'Q'
                && buffer.get(offset + 4) == 'T' && buffer.get(offset + 5) == 'T';
        if (!mqtt) {
            // [MQTT-3.1.2-1]: another name (3.1's "MQIsdp" too) means a protocol this codec does not speak.
            throw new MqttCodecException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, offset,
                    "CONNECT Protocol Name is not \"MQTT\"");
        }
        int levelAt = offset + 2 + nameLength;
        int level = Wire.u8(buffer, levelAt, limit, "CONNECT Protocol Level");
        ProtocolVersion found = ProtocolVersion.ofLevel(level);
        if (found == null) {
            throw new MqttCodecException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, levelAt, "CONNECT Protocol Level "
                    + level + " is not supported (4 = 3.1.1, 5 = 5.0)");
        }
        version = found;
        return levelAt + 1;
    }

    private void checkConnectFlags(int at) {
        String problem = null;
        if ((connectFlags & RESERVED_FLAG) != 0) {
            problem = "the reserved bit 0 is set";
        } else if (willQos() == 3) {
            problem = "Will QoS is 3";
        } else if (!hasWill() && (willQos() != 0 || willRetain())) {
            problem = "Will QoS or Will Retain is set without the Will Flag";
        } else if (!version.isMqtt5() && hasPassword() && !hasUserName()) {
            problem = "MQTT 3.1.1 forbids a Password Flag without the User Name Flag";
        }
        if (problem != null) {
            throw MqttCodecException.malformed(at, String.format("CONNECT Connect Flags 0x%02X: %s",
                    connectFlags, problem));
        }
    }

    private int readWill(ByteBuffer buffer, int index, int limit) {
        if (!hasWill()) {
            if (willProperties != null) {
                willProperties.clear();
            }
            willTopic.clear();
            willPayload.clear();
            return index;
        }
        int at = index;
        if (version.isMqtt5()) {
            at = willProperties().wrap(buffer, at, limit, Property.WILL_SCOPE);
        } else {
            willProperties().clear();
        }
        int topicAt = at;
        at = willTopic.read(buffer, at, limit, "CONNECT Will Topic");
        int problem = TopicNames.checkTopicName(buffer, willTopic.byteOffset(), willTopic.byteLength());
        if (problem != TopicNames.VALID) {
            throw new MqttCodecException(ReasonCode.TOPIC_NAME_INVALID, topicAt,
                    "CONNECT Will Topic: " + TopicNames.describe(problem));
        }
        return willPayload.read(buffer, at, limit, "CONNECT Will Payload");
    }

    private int readCredentials(ByteBuffer buffer, int index, int limit) {
        int at = index;
        if (hasUserName()) {
            at = userName.read(buffer, at, limit, "CONNECT User Name");
        } else {
            userName.clear();
        }
        if (hasPassword()) {
            at = password.read(buffer, at, limit, "CONNECT Password");
        } else {
            password.clear();
        }
        return at;
    }

    /** @return the version the Protocol Level named */
    public ProtocolVersion version() {
        return version;
    }

    /** @return Clean Start (5.0) or Clean Session (3.1.1) */
    public boolean cleanStart() {
        return (connectFlags & CLEAN_START_FLAG) != 0;
    }

    /** @return the Keep Alive in seconds, 0..65535 (0 turns keepalive off) */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** @return the CONNECT properties (always empty for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }

    /** @return the Client Identifier; may be empty (byte length 0) */
    public Utf8View clientId() {
        return clientId;
    }

    /** @return true when the Will Flag is set and the payload carries a Will */
    public boolean hasWill() {
        return (connectFlags & WILL_FLAG) != 0;
    }

    /** @return the Will QoS, 0..2 (0 without a Will) */
    public int willQos() {
        return (connectFlags >>> WILL_QOS_SHIFT) & 0b11;
    }

    /** @return the Will Retain flag (false without a Will) */
    public boolean willRetain() {
        return (connectFlags & WILL_RETAIN_FLAG) != 0;
    }

    /** @return the Will Properties (empty without a Will and always for MQTT 3.1.1) */
    public PropertiesView willProperties() {
        if (willProperties == null) {
            willProperties = new PropertiesView();
        }
        return willProperties;
    }

    /** @return the Will Topic; {@link Utf8View#isPresent()} is false without a Will */
    public Utf8View willTopic() {
        return willTopic;
    }

    /** @return the Will Payload; {@link BinaryView#isPresent()} is false without a Will */
    public BinaryView willPayload() {
        return willPayload;
    }

    /** @return true when the User Name Flag is set */
    public boolean hasUserName() {
        return (connectFlags & USER_NAME_FLAG) != 0;
    }

    /** @return the User Name; {@link Utf8View#isPresent()} is false when the flag is clear */
    public Utf8View userName() {
        return userName;
    }

    /** @return true when the Password Flag is set */
    public boolean hasPassword() {
        return (connectFlags & PASSWORD_FLAG) != 0;
    }

    /** @return the Password; {@link BinaryView#isPresent()} is false when the flag is clear */
    public BinaryView password() {
        return password;
    }
}
