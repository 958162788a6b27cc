package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds and encodes SUBSCRIBE or UNSUBSCRIBE (spec 3.8 and 3.10) into the caller's buffer. A mutable,
 * reusable instance: start a packet with {@link #subscribe} or {@link #unsubscribe}, {@link #add} its
 * Topic Filters, fill {@link #properties()}, then {@link #encode}. Not thread-safe: fill and encode on one
 * thread.
 *
 * <p>Filters are kept as the UTF-8 arrays given, not copied: do not change an array while it is in use.
 * Every filter and options byte is checked when added; the packet as a whole (a Packet Identifier set,
 * at least one filter, properties allowed) when sized. Misuse is an {@link IllegalArgumentException},
 * thrown before any byte is written.
 *
 * <p>Allocation: {@link #encodedLength} and {@link #encode} allocate nothing. {@link #add(byte[], int)}
 * allocates only when a packet holds more filters than any before it; the {@code String} adders
 * allocate the encoding.
 */
public final class SubscribeEncoder {
    private static final int NO_LOCAL = 0b100;

    private final MqttProperties properties = new MqttProperties();
    private int type = PacketType.SUBSCRIBE;
    private ProtocolVersion version = ProtocolVersion.MQTT_5;
    private int packetId;
    private byte[][] filters = new byte[4][];
    private int[] options = new int[4];
    private int count;

    /**
     * Builds the Subscription Options byte of spec 3.8.3.1.
     *
     * @param qos the Maximum QoS, 0..2
     * @param noLocal do not send this client's own messages back (MQTT 5.0 only)
     * @param retainAsPublished keep the RETAIN flag messages were published with (MQTT 5.0 only)
     * @param retainHandling 0 send retained messages, 1 only for a new subscription, 2 never (MQTT 5.0 only)
     * @throws IllegalArgumentException for a QoS or Retain Handling outside 0..2
     */
    public static int options(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("Maximum QoS must be 0, 1 or 2: " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("Retain Handling must be 0, 1 or 2: " + retainHandling);
        }
        return qos | (noLocal ? NO_LOCAL : 0) | (retainAsPublished ? 0b1000 : 0) | retainHandling << 4;
    }

    /**
     * Starts a SUBSCRIBE: forgets the filters and properties of the previous packet.
     *
     * @param packetId 1..65535
     */
    public SubscribeEncoder subscribe(ProtocolVersion version, int packetId) {
        return start(PacketType.SUBSCRIBE, version, packetId);
    }

    /**
     * Starts an UNSUBSCRIBE: forgets the filters and properties of the previous packet.
     *
     * @param packetId 1..65535
     */
    public SubscribeEncoder unsubscribe(ProtocolVersion version, int packetId) {
        return start(PacketType.UNSUBSCRIBE, version, packetId);
    }

    private SubscribeEncoder start(int type, ProtocolVersion version, int packetId) {
        SubackEncoder.checkPacketId(type, packetId);
        if (version == null) {
            throw new IllegalArgumentException("version must not be null");
        }
        this.type = type;
        this.version = version;
        this.packetId = packetId;
        Arrays.fill(filters, 0, count, null);
        count = 0;
        properties.clear();
        return this;
    }

    /**
     * Replaces the Packet Identifier, e.g. when the packet is built ahead and the identifier is taken
     * only when it is sent.
     *
     * @param packetId 1..65535
     */
    public SubscribeEncoder packetId(int packetId) {
        SubackEncoder.checkPacketId(type, packetId);
        this.packetId = packetId;
        return this;
    }

    /**
     * Adds a Topic Filter.
     *
     * @param filterUtf8 the filter as UTF-8 (kept, not copied)
     * @param options the Subscription Options byte (see {@link #options(int, boolean, boolean, int)});
     *     ignored for UNSUBSCRIBE; only the QoS bits may be set for MQTT 3.1.1
     * @throws IllegalArgumentException for an invalid filter or options byte, or No Local on a shared
     *     subscription
     */
    public SubscribeEncoder add(byte[] filterUtf8, int options) {
        Wire.checkPrefixed(filterUtf8, "Topic Filter");
        if (Utf8.firstInvalid(ByteBuffer.wrap(filterUtf8), 0, filterUtf8.length) >= 0) {
            throw new IllegalArgumentException("Topic Filter is not a valid MQTT UTF-8 string");
        }
        int problem = TopicNames.checkTopicFilter(filterUtf8, 0, filterUtf8.length);
        if (problem != TopicNames.VALID) {
            throw new IllegalArgumentException("Topic Filter: " + TopicNames.describe(problem));
        }
        int kept = type == PacketType.SUBSCRIBE ? checkOptions(filterUtf8, options) : 0;
        if (count == filters.length) {
            filters = Arrays.copyOf(filters, count * 2);
            this.options = Arrays.copyOf(this.options, count * 2);
        }
        filters[count] = filterUtf8;
        this.options[count++] = kept;
        return this;
    }

    /** Adds a SUBSCRIBE Topic Filter with its options. Allocates the filter's encoding. */
    public SubscribeEncoder add(String filter, int qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling) {
        return add(Utf8.encode(filter, "Topic Filter"), options(qos, noLocal, retainAsPublished, retainHandling));
    }

    /** Adds an UNSUBSCRIBE Topic Filter (or a SUBSCRIBE one at QoS 0). Allocates the filter's encoding. */
    public SubscribeEncoder add(String filter) {
        return add(Utf8.encode(filter, "Topic Filter"), 0);
    }

    private int checkOptions(byte[] filterUtf8, int options) {
        int reserved = version.isMqtt5() ? ~0b11_1111 : ~0b11;
        if ((options & reserved) != 0 || (options & 0b11) == 3 || options >>> 4 == 3) {
            throw new IllegalArgumentException(String.format("Subscription Options 0x%X are not valid for MQTT %s",
                    options, version.isMqtt5() ? "5.0" : "3.1.1"));
        }
        if ((options & NO_LOCAL) != 0 && TopicNames.isSharedSubscription(filterUtf8, 0, filterUtf8.length)) {
            throw new IllegalArgumentException("No Local must not be set on a shared subscription (spec 3.8.3.1)");
        }
        return options;
    }

    /** @return the properties of the packet being built; cleared by {@link #subscribe} and {@link #unsubscribe} */
    public MqttProperties properties() {
        return properties;
    }

    /** @return {@link PacketType#SUBSCRIBE} or {@link PacketType#UNSUBSCRIBE} */
    public int type() {
        return type;
    }

    /** @return the protocol version of the packet being built */
    public ProtocolVersion version() {
        return version;
    }

    /** @return the Packet Identifier, or 0 before the first {@link #subscribe} or {@link #unsubscribe} */
    public int packetId() {
        return packetId;
    }

    /** @return how many Topic Filters were added */
    public int filterCount() {
        return count;
    }

    /**
     * @return the whole packet's size on the wire
     * @throws IllegalArgumentException when no packet was started, no filter added, or the properties do
     *     not fit the packet
     */
    public int encodedLength() {
        return FixedHeader.packetLength(remainingLength());
    }

    /**
     * Writes the packet at {@code dst}'s position.
     *
     * @return bytes written, or -1 when {@code dst} has too little room (it is then untouched)
     * @throws IllegalArgumentException as {@link #encodedLength()}
     */
    public int encode(ByteBuffer dst) {
        int remaining = remainingLength();
        int total = FixedHeader.packetLength(remaining);
        if (dst.remaining() < total) {
            return -1;
        }
        SubackEncoder.writeHeader(dst, type, version, remaining, packetId, properties);
        for (int i = 0; i < count; i++) {
            Wire.putPrefixed(dst, filters[i]);
            if (type == PacketType.SUBSCRIBE) {
                dst.put((byte) options[i]);
            }
        }
        return total;
    }

    private int remainingLength() {
        SubackEncoder.checkPacketId(type, packetId);
        if (count == 0) {
            throw new IllegalArgumentException(PacketType.name(type) + " needs at least one Topic Filter");
        }
        long payload = 0;
        int perFilter = type == PacketType.SUBSCRIBE ? 3 : 2;
        for (int i = 0; i < count; i++) {
            payload += perFilter + filters[i].length;
        }
        return SubackEncoder.headerLength(type, version, properties, payload);
    }
}
