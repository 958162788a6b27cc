package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A flyweight over a received SUBSCRIBE or UNSUBSCRIBE (spec 3.8 and 3.10): Packet Identifier, properties
 * and the Topic Filters, each with its Subscription Options byte in SUBSCRIBE. Nothing is copied; the
 * view is valid until it is wrapped again. Not thread-safe. A client receives neither packet: this view
 * serves the test kit's broker and anything else that plays the server.
 *
 * <p>Malformed cases, the first one in wire order being reported: fixed-header flags other than 0b0010,
 * a truncated field, a Topic Filter that is not valid UTF-8, Subscription Options with QoS 3, Retain
 * Handling 3 or a reserved bit set (bits 6-7 in 5.0, bits 2-7 in 3.1.1) are Malformed (0x81); a Packet
 * Identifier of 0, no Topic Filter at all, or No Local on a shared subscription (spec 3.8.3.1) are a
 * Protocol Error (0x82); a filter breaking the rules of spec 4.7 is Topic Filter Invalid (0x8F); and
 * every property rule of {@link PropertiesView} applies.
 *
 * <p>Allocation: none per packet. The array of filter positions grows (by doubling) only when a packet
 * holds more filters than any before it.
 */
public final class SubscribeView {
    /** Subscription Options bits (spec 3.8.3.1). */
    private static final int QOS_MASK = 0b11;
    private static final int NO_LOCAL = 0b100;
    private static final int RETAIN_AS_PUBLISHED = 0b1000;
    private static final int RETAIN_HANDLING_SHIFT = 4;
    private static final int MQTT5_RESERVED = 0b1100_0000;
    private static final int MQTT3_RESERVED = 0b1111_1100;

    private ByteBuffer buf;
    private int type;
    private int packetId;
    private int filterCount;
    /** Index of each filter's two-byte length prefix. */
    private int[] filterIndex = new int[4];
    private final Utf8View filter = new Utf8View();
    private final PropertiesView properties;

    /** A view with a property section of its own, for decoding this packet type on its own. */
    public SubscribeView() {
        this(new PropertiesView());
    }

    /**
     * A view reading its property section into {@code properties}, which {@link PacketDecoder} shares among
     * all its views: only the packet last decoded has valid properties.
     */
    SubscribeView(PropertiesView properties) {
        this.properties = properties;
    }

    /**
     * Decodes the SUBSCRIBE or UNSUBSCRIBE whose variable header starts at {@code offset}.
     *
     * @param type {@link PacketType#SUBSCRIBE} or {@link PacketType#UNSUBSCRIBE}
     * @param flags the low nibble of the fixed header's first byte
     * @throws MqttCodecException for any malformed input
     * @throws IllegalArgumentException when {@code type} is neither SUBSCRIBE nor UNSUBSCRIBE
     */
    public void wrap(int type, ByteBuffer buffer, int flags, int offset, int remainingLength,
            ProtocolVersion version) {
        if (type != PacketType.SUBSCRIBE && type != PacketType.UNSUBSCRIBE) {
            throw new IllegalArgumentException("SubscribeView decodes SUBSCRIBE and UNSUBSCRIBE, not "
                    + PacketType.name(type));
        }
        this.buf = buffer;
        this.type = type;
        filterCount = 0;
        int index = SubackView.readHeader(type, buffer, flags, offset, remainingLength, version, properties);
        packetId = Wire.u16(buffer, offset, offset + 2, "Packet Identifier");
        int limit = offset + remainingLength;
        if (index == limit) {
            throw MqttCodecException.protocolError(index, PacketType.name(type) + " without any Topic Filter");
        }
        while (index < limit) {
            index = readFilter(buffer, index, limit, version);
        }
    }

    /** Reads, checks and remembers one Topic Filter (and its options in SUBSCRIBE); @return the index after. */
    private int readFilter(ByteBuffer buffer, int index, int limit, ProtocolVersion version) {
        int next = filter.read(buffer, index, limit, "Topic Filter");
        int options = 0;
        if (type == PacketType.SUBSCRIBE) {
            options = Wire.u8(buffer, next, limit, "Subscription Options");
            checkOptions(options, next, version);
            next++;
        }
        int problem = TopicNames.checkTopicFilter(buffer, filter.byteOffset(), filter.byteLength());
        if (problem != TopicNames.VALID) {
            throw new MqttCodecException(ReasonCode.TOPIC_FILTER_INVALID, index, PacketType.name(type)
                    + " Topic Filter " + filterCount + ": " + TopicNames.describe(problem));
        }
        if ((options & NO_LOCAL) != 0
                && TopicNames.isSharedSubscription(buffer, filter.byteOffset(), filter.byteLength())) {
            throw MqttCodecException.protocolError(next - 1, "No Local set on Topic Filter " + filterCount
                    + ", a shared subscription (spec 3.8.3.1)");
        }
        if (filterCount == filterIndex.length) {
            filterIndex = Arrays.copyOf(filterIndex, filterCount * 2);
        }
        filterIndex[filterCount++] = index;
        return next;
    }

    private void checkOptions(int options, int index, ProtocolVersion version) {
        String problem = null;
        if ((options & QOS_MASK) == 3) {
            problem = "Maximum QoS 3";
        } else if (!version.isMqtt5() && (options & MQTT3_RESERVED) != 0) {
            problem = "reserved bits 2-7 set (MQTT 3.1.1 has only the QoS bits)";
        } else if ((options & MQTT5_RESERVED) != 0) {
            problem = "reserved bits 6-7 set";
        } else if (options >>> RETAIN_HANDLING_SHIFT == 3) {
            problem = "Retain Handling 3";
        }
        if (problem != null) {
            throw MqttCodecException.malformed(index, String.format(
                    "Subscription Options 0x%02X of Topic Filter %d: %s", options, filterCount, problem));
        }
    }

    /** @return {@link PacketType#SUBSCRIBE} or {@link PacketType#UNSUBSCRIBE} */
    public int type() {
        return type;
    }

    /** @return the Packet Identifier (1..65535) the SUBACK or UNSUBACK must echo */
    public int packetId() {
        return packetId;
    }

    /** @return the properties (always empty for MQTT 3.1.1) */
    public PropertiesView properties() {
        return properties;
    }

    /** @return how many Topic Filters the packet holds (at least one) */
    public int filterCount() {
        return filterCount;
    }

    /**
     * Points the shared filter view at Topic Filter {@code i} and returns it. The same object is
     * returned each call: read it before the next call.
     *
     * @throws IndexOutOfBoundsException when {@code i} is outside 0 .. {@link #filterCount()} - 1
     */
    public Utf8View filter(int i) {
        int at = indexOf(i);
        filter.wrap(buf, at + 2, length(at));
        return filter;
    }

    /**
     * @return the Subscription Options byte of Topic Filter {@code i}, as received
     * @throws IllegalStateException for an UNSUBSCRIBE, which has no options
     */
    public int options(int i) {
        if (type != PacketType.SUBSCRIBE) {
            throw new IllegalStateException(PacketType.name(type) + " has no Subscription Options");
        }
        int at = indexOf(i);
        return buf.get(at + 2 + length(at)) & 0xFF;
    }

    /** @return the Maximum QoS (0..2) requested for Topic Filter {@code i} */
    public int maxQos(int i) {
        return options(i) & QOS_MASK;
    }

    /** @return true when messages this client publishes must not come back on Topic Filter {@code i} */
    public boolean noLocal(int i) {
        return (options(i) & NO_LOCAL) != 0;
    }

    /** @return true when forwarded messages keep the RETAIN flag they were published with */
    public boolean retainAsPublished(int i) {
        return (options(i) & RETAIN_AS_PUBLISHED) != 0;
    }

    /** @return 0 send retained messages, 1 only for a new subscription, 2 never (spec 3.8.3.1) */
    public int retainHandling(int i) {
        return options(i) >>> RETAIN_HANDLING_SHIFT;
    }

    private int indexOf(int i) {
        if (i < 0 || i >= filterCount) {
            throw new IndexOutOfBoundsException("Topic Filter " + i + " of " + filterCount);
        }
        return filterIndex[i];
    }

    private int length(int at) {
        return (buf.get(at) & 0xFF) << 8 | (buf.get(at + 1) & 0xFF);
    }
}
