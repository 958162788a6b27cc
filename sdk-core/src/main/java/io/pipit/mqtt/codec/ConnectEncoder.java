package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Describes a CONNECT (spec 3.1 of MQTT 5.0 and of 3.1.1) and encodes it straight into the caller's
 * buffer. A mutable, reusable instance: fill it once (version, Client Identifier, Will, credentials,
 * properties) and encode it on every (re)connect. Not thread-safe: fill and encode on one thread, or fill
 * once and only encode afterwards.
 *
 * <p>Defaults: MQTT 5.0, Clean Start set, Keep Alive 60 s, empty Client Identifier, no Will, no credentials,
 * no properties. Byte arrays are kept, not copied: do not change them while the instance is in use.
 * {@link #encode} allocates nothing; the {@code String} setter and {@link #copyFrom} allocate.
 *
 * <p>Size first, then write: {@link #encodedLength} says exactly how many bytes the packet takes;
 * {@link #encode} returns -1 and leaves {@code dst} untouched when it lacks room. Values no peer may receive
 * are refused with an {@link IllegalArgumentException}: single values when set (Will QoS 3, a Will Topic
 * with a wildcard, invalid UTF-8, ...), combinations when encoding (properties, or a Password without a User
 * Name, for MQTT 3.1.1).
 */
public final class ConnectEncoder {
    private static final byte[] PROTOCOL_NAME = {'M', 'Q', 'T', 'T'};
    private static final byte[] EMPTY = new byte[0];
    /** Protocol Name (2 + 4), Protocol Level, Connect Flags and Keep Alive (2). */
    private static final int FIXED_VARIABLE_HEADER_LENGTH = 10;

    private ProtocolVersion version = ProtocolVersion.MQTT_5;
    private boolean cleanStart = true;
    private int keepAliveSeconds = 60;
    private byte[] clientId = EMPTY;
    private final MqttProperties properties = new MqttProperties();
    private byte[] willTopic;
    private byte[] willPayload;
    private int willQos;
    private boolean willRetain;
    private final MqttProperties willProperties = new MqttProperties();
    private byte[] userName;
    private byte[] password;

    /** @return the protocol version to speak */
    public ProtocolVersion version() {
        return version;
    }

    /** Sets the protocol version (the Protocol Level byte). */
    public ConnectEncoder version(ProtocolVersion version) {
        if (version == null) {
            throw new IllegalArgumentException("version must not be null");
        }
        this.version = version;
        return this;
    }

    /** @return Clean Start (5.0) or Clean Session (3.1.1) */
    public boolean cleanStart() {
        return cleanStart;
    }

    /** Sets Clean Start (5.0) or Clean Session (3.1.1). */
    public ConnectEncoder cleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
        return this;
    }

    /** @return the Keep Alive in seconds */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** Sets the Keep Alive, 0..65535 seconds (0 turns keepalive off). */
    public ConnectEncoder keepAliveSeconds(int keepAliveSeconds) {
        Wire.checkU16(keepAliveSeconds, "Keep Alive");
        this.keepAliveSeconds = keepAliveSeconds;
        return this;
    }

    /** @return the Client Identifier as UTF-8 (not a copy); empty by default */
    public byte[] clientId() {
        return clientId;
    }

    /** Sets the Client Identifier from UTF-8 bytes (kept, not copied); empty asks the server to assign one. */
    public ConnectEncoder clientId(byte[] utf8) {
        checkUtf8(utf8, "Client Identifier");
        this.clientId = utf8;
        return this;
    }

    /** Sets the Client Identifier. Allocates the encoding. */
    public ConnectEncoder clientId(String clientId) {
        return clientId(Utf8.encode(clientId, "Client Identifier"));
    }

    /** @return the CONNECT properties, this instance's own holder: fill it in place (5.0 only) */
    public MqttProperties properties() {
        return properties;
    }

    /**
     * Sets the Will: the message the server publishes when this client goes away without a DISCONNECT.
     *
     * @param topicUtf8 the Will Topic as UTF-8, a topic name (no wildcards, not empty); kept, not copied
     * @param payload the Will Payload (may be empty); kept, not copied
     * @param qos the Will QoS, 0..2
     */
    public ConnectEncoder will(byte[] topicUtf8, byte[] payload, int qos, boolean retain) {
        checkUtf8(topicUtf8, "Will Topic");
        int problem = TopicNames.checkTopicName(topicUtf8, 0, topicUtf8.length);
        if (problem != TopicNames.VALID) {
            throw new IllegalArgumentException("Will Topic: " + TopicNames.describe(problem));
        }
        Wire.checkPrefixed(payload, "Will Payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("Will QoS must be 0, 1 or 2: " + qos);
        }
        this.willTopic = topicUtf8;
        this.willPayload = payload;
        this.willQos = qos;
        this.willRetain = retain;
        return this;
    }

    /** Removes the Will and clears its properties. */
    public ConnectEncoder noWill() {
        willTopic = null;
        willPayload = null;
        willQos = 0;
        willRetain = false;
        willProperties.clear();
        return this;
    }

    /** @return true when a Will is set */
    public boolean hasWill() {
        return willTopic != null;
    }

    /** @return the Will Topic as UTF-8 (not a copy), or null without a Will */
    public byte[] willTopic() {
        return willTopic;
    }

    /** @return the Will Payload (not a copy), or null without a Will */
    public byte[] willPayload() {
        return willPayload;
    }

    /** @return the Will QoS (0 without a Will) */
    public int willQos() {
        return willQos;
    }

    /** @return the Will Retain flag (false without a Will) */
    public boolean willRetain() {
        return willRetain;
    }

    /** @return the Will Properties, this instance's own holder: fill it in place (5.0 only, with a Will) */
    public MqttProperties willProperties() {
        return willProperties;
    }

    /** @return the User Name as UTF-8 (not a copy), or null when absent */
    public byte[] userName() {
        return userName;
    }

    /** Sets the User Name from UTF-8 bytes (kept, not copied), or removes it with null. */
    public ConnectEncoder userName(byte[] utf8) {
        if (utf8 != null) {
            checkUtf8(utf8, "User Name");
        }
        this.userName = utf8;
        return this;
    }

    /** @return the Password (not a copy), or null when absent */
    public byte[] password() {
        return password;
    }

    /** Sets the Password, any bytes up to 65,535 (kept, not copied), or removes it with null. */
    public ConnectEncoder password(byte[] password) {
        if (password != null) {
            Wire.checkPrefixed(password, "Password");
        }
        this.password = password;
        return this;
    }

    /**
     * Replaces everything with a copy of a received CONNECT, e.g. for a proxy that forwards it. Allocates a
     * byte array per field and property.
     */
    public ConnectEncoder copyFrom(ConnectView view) {
        version(view.version()).cleanStart(view.cleanStart()).keepAliveSeconds(view.keepAliveSeconds());
        clientId(copy(view.clientId()));
        properties.copyFrom(view.properties());
        noWill();
        if (view.hasWill()) {
            will(copy(view.willTopic()), view.willPayload().toByteArray(), view.willQos(), view.willRetain());
            willProperties.copyFrom(view.willProperties());
        }
        userName(view.hasUserName() ? copy(view.userName()) : null);
        return password(view.password().toByteArray());
    }

    /**
     * @return the whole packet's size on the wire
     * @throws IllegalArgumentException when the settings together make no valid CONNECT
     */
    public int encodedLength() {
        return FixedHeader.packetLength(remainingLength());
    }

    /**
     * Writes the CONNECT at {@code dst}'s position.
     *
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     * @throws IllegalArgumentException when the settings together make no valid CONNECT
     */
    public int encode(ByteBuffer dst) {
        int remaining = remainingLength();
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        boolean mqtt5 = version.isMqtt5();
        FixedHeader.write(dst, PacketType.CONNECT, 0, remaining);
        Wire.putPrefixed(dst, PROTOCOL_NAME);
        dst.put((byte) version.level()).put((byte) connectFlags());
        Wire.putU16(dst, keepAliveSeconds);
        if (mqtt5) {
            properties.write(dst, PacketType.CONNECT);
        }
        Wire.putPrefixed(dst, clientId);
        if (willTopic != null) {
            if (mqtt5) {
                willProperties.write(dst, Property.WILL_SCOPE);
            }
            Wire.putPrefixed(dst, willTopic);
            Wire.putPrefixed(dst, willPayload);
        }
        if (userName != null) {
            Wire.putPrefixed(dst, userName);
        }
        if (password != null) {
            Wire.putPrefixed(dst, password);
        }
        return total;
    }

    private int connectFlags() {
        return (userName != null ? 0x80 : 0) | (password != null ? 0x40 : 0) | (willRetain ? 0x20 : 0)
                | willQos << 3 | (willTopic != null ? 0x04 : 0) | (cleanStart ? 0x02 : 0);
    }

    private int remainingLength() {
        checkCombination();
        boolean mqtt5 = version.isMqtt5();
        long remaining = FIXED_VARIABLE_HEADER_LENGTH + 2L + clientId.length
                + (mqtt5 ? properties.sectionLength(PacketType.CONNECT) : 0);
        if (willTopic != null) {
            remaining += 4L + willTopic.length + willPayload.length
                    + (mqtt5 ? willProperties.sectionLength(Property.WILL_SCOPE) : 0);
        }
        remaining += (userName != null ? 2L + userName.length : 0) + (password != null ? 2L + password.length : 0);
        if (remaining > VarInt.MAX_VALUE) {
            throw new IllegalArgumentException("CONNECT of " + remaining + " bytes is larger than MQTT allows");
        }
        return (int) remaining;
    }

    private void checkCombination() {
        if (willTopic == null && !willProperties.isEmpty()) {
            throw new IllegalArgumentException("Will Properties are set but there is no Will");
        }
        if (version.isMqtt5()) {
            return;
        }
        if (!properties.isEmpty() || !willProperties.isEmpty()) {
            throw new IllegalArgumentException("MQTT 3.1.1 CONNECT has no properties");
        }
        if (password != null && userName == null) {
            throw new IllegalArgumentException("MQTT 3.1.1 CONNECT cannot carry a Password without a User Name");
        }
        if (clientId.length == 0 && !cleanStart) {
            throw new IllegalArgumentException(
                    "MQTT 3.1.1 CONNECT with an empty Client Identifier needs Clean Session");
        }
    }

    private static void checkUtf8(byte[] value, String field) {
        Wire.checkPrefixed(value, field);
        if (Utf8.firstInvalid(ByteBuffer.wrap(value), 0, value.length) >= 0) {
            throw new IllegalArgumentException(field + " is not a valid MQTT UTF-8 string");
        }
    }

    private static byte[] copy(Utf8View view) {
        byte[] out = new byte[view.byteLength()];
        view.copyTo(out, 0);
        return out;
    }
}
