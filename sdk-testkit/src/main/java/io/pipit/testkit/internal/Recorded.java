package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.ConnectView;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.PublishView;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.codec.SubscribeView;
import io.pipit.testkit.RecordedPacket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's {@link RecordedPacket}: copies every value out of the codec's views once, when recorded.
 * Filled on the loop thread by {@link #of}, then never changed; published to test threads through
 * {@link PacketLog}'s lock, so reads are safe from any thread.
 */
final class Recorded implements RecordedPacket {
    private static final byte[] EMPTY = new byte[0];

    private final Direction direction;
    private final String clientId;
    private final boolean mqtt5;
    private final byte[] bytes;
    private final long timestampNs = System.nanoTime();
    private int type;
    private String malformed;
    private int qos;
    private boolean dup;
    private boolean retain;
    private int packetId;
    private String topic;
    private int topicAlias;
    private byte[] payload = EMPTY;
    private int reasonCode;
    private List<Integer> reasonCodes = Collections.emptyList();
    private List<String> filters = Collections.emptyList();
    private List<Integer> options = Collections.emptyList();
    private boolean sessionPresent;
    private boolean cleanStart;
    private int keepAlive;
    private String userName;
    private final Map<Integer, Long> numbers = new HashMap<>();
    private final Map<Integer, String> strings = new HashMap<>();
    private final Map<Integer, byte[]> binaries = new HashMap<>();
    private final List<Integer> subscriptionIds = new ArrayList<>();
    private final Map<String, String> userProperties = new LinkedHashMap<>();

    private Recorded(Direction direction, String clientId, boolean mqtt5, byte[] bytes) {
        this.direction = direction;
        this.clientId = clientId;
        this.mqtt5 = mqtt5;
        this.bytes = bytes;
    }

    /**
     * Copies the packet {@code decoder} has just decoded.
     *
     * @param resolvedTopic a PUBLISH's topic after Topic Alias resolution, or null to take the wire topic
     */
    static Recorded of(Direction direction, String clientId, boolean mqtt5, PacketDecoder decoder, ByteBuffer buf,
            int offset, int length, String resolvedTopic) {
        Recorded r = new Recorded(direction, clientId, mqtt5, copy(buf, offset, length));
        r.type = decoder.type();
        switch (r.type) {
            case PacketType.CONNECT: r.readConnect(decoder.connect()); break;
            case PacketType.CONNACK:
                r.sessionPresent = decoder.connack().sessionPresent();
                r.reasonCode = decoder.connack().reasonCode();
                r.readProperties(decoder.connack().properties());
                break;
            case PacketType.PUBLISH: r.readPublish(decoder.publish(), resolvedTopic); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                r.packetId = decoder.ack().packetId();
                r.reasonCode = decoder.ack().reasonCode();
                r.readProperties(decoder.ack().properties());
                break;
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE: r.readSubscribe(decoder.subscribe()); break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK: r.readSuback(decoder.suback()); break;
            case PacketType.DISCONNECT:
            case PacketType.AUTH:
                r.reasonCode = decoder.reason().reasonCode();
                r.readProperties(decoder.reason().properties());
                break;
            default: break;
        }
        return r;
    }

    /** Records bytes that did not decode, e.g. a fault-injected malformed packet. */
    static Recorded malformed(Direction direction, String clientId, boolean mqtt5, ByteBuffer buf, int offset,
            int length, String problem) {
        Recorded r = new Recorded(direction, clientId, mqtt5, copy(buf, offset, length));
        r.type = length > 0 ? (buf.get(offset) & 0xFF) >>> 4 : 0;
        r.malformed = problem;
        return r;
    }

    private void readConnect(ConnectView v) {
        cleanStart = v.cleanStart();
        keepAlive = v.keepAliveSeconds();
        userName = v.hasUserName() ? v.userName().toString() : null;
        if (v.hasWill()) {
            topic = v.willTopic().toString();
            payload = v.willPayload().toByteArray();
            qos = v.willQos();
            retain = v.willRetain();
        }
        readProperties(v.properties());
    }

    private void readPublish(PublishView v, String resolvedTopic) {
        qos = v.qos();
        dup = v.dup();
        retain = v.retain();
        packetId = v.packetId();
        topic = resolvedTopic != null ? resolvedTopic : v.topic().toString();
        payload = copy(v.buffer(), v.payloadOffset(), v.payloadLength());
        readProperties(v.properties());
        topicAlias = (int) v.properties().number(Property.TOPIC_ALIAS, 0);
    }

    private void readSubscribe(SubscribeView v) {
        packetId = v.packetId();
        filters = new ArrayList<>();
        options = new ArrayList<>();
        for (int i = 0; i < v.filterCount(); i++) {
            filters.add(v.filter(i).toString());
            if (v.type() == PacketType.SUBSCRIBE) {
                options.add(v.options(i));
            }
        }
        readProperties(v.properties());
    }

    private void readSuback(SubackView v) {
        packetId = v.packetId();
        reasonCodes = new ArrayList<>();
        for (int i = 0; i < v.reasonCodeCount(); i++) {
            reasonCodes.add(v.reasonCode(i));
        }
        reasonCode = reasonCodes.isEmpty() ? 0 : reasonCodes.get(0);
        readProperties(v.properties());
    }

    private void readProperties(PropertiesView p) {
        for (long rest = p.presentMask(); rest != 0; rest &= rest - 1) {
            int id = Long.numberOfTrailingZeros(rest);
            switch (Property.type(id)) {
                case Property.TYPE_UTF8: strings.put(id, p.string(id).toString()); break;
                case Property.TYPE_BINARY: binaries.put(id, p.binary(id).toByteArray()); break;
                case Property.TYPE_VAR_INT:
                    for (int i = 0; i < p.subscriptionIdentifierCount(); i++) {
                        subscriptionIds.add(p.subscriptionIdentifier(i));
                    }
                    break;
                case Property.TYPE_UTF8_PAIR:
                    for (int i = 0; i < p.userPropertyCount(); i++) {
                        userProperties.put(p.userPropertyKey(i).toString(), p.userPropertyValue(i).toString());
                    }
                    break;
                default: numbers.put(id, p.number(id, 0)); break;
            }
        }
    }

    private static byte[] copy(ByteBuffer buf, int offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = buf.get(offset + i);
        }
        return out;
    }

    @Override public Direction direction() {
        return direction;
    }

    @Override public String clientId() {
        return clientId;
    }

    @Override public int type() {
        return type;
    }

    @Override public String typeName() {
        return malformed != null ? "MALFORMED" : PacketType.name(type);
    }

    @Override public long timestampNs() {
        return timestampNs;
    }

    @Override public boolean mqtt5() {
        return mqtt5;
    }

    @Override public byte[] bytes() {
        return bytes.clone();
    }

    @Override public String malformed() {
        return malformed;
    }

    @Override public int qos() {
        return qos;
    }

    @Override public boolean dup() {
        return dup;
    }

    @Override public boolean retain() {
        return retain;
    }

    @Override public int packetId() {
        return packetId;
    }

    @Override public String topic() {
        return topic;
    }

    @Override public int topicAlias() {
        return topicAlias;
    }

    @Override public byte[] payload() {
        return payload.clone();
    }

    @Override public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override public int reasonCode() {
        return reasonCode;
    }

    @Override public List<Integer> reasonCodes() {
        return Collections.unmodifiableList(reasonCodes);
    }

    @Override public List<String> topicFilters() {
        return Collections.unmodifiableList(filters);
    }

    @Override public List<Integer> subscriptionOptions() {
        return Collections.unmodifiableList(options);
    }

    @Override public boolean sessionPresent() {
        return sessionPresent;
    }

    @Override public boolean cleanStart() {
        return cleanStart;
    }

    @Override public int keepAliveSeconds() {
        return keepAlive;
    }

    @Override public String userName() {
        return userName;
    }

    @Override public long property(int propertyId, long absent) {
        return numbers.getOrDefault(propertyId, absent);
    }

    @Override public String stringProperty(int propertyId) {
        return strings.get(propertyId);
    }

    @Override public byte[] binaryProperty(int propertyId) {
        byte[] value = binaries.get(propertyId);
        return value == null ? null : value.clone();
    }

    @Override public List<Integer> subscriptionIdentifiers() {
        return Collections.unmodifiableList(subscriptionIds);
    }

    @Override public Map<String, String> userProperties() {
        return Collections.unmodifiableMap(userProperties);
    }

    @Override
    public String toString() {
        return Describe.packet(this, numbers, strings);
    }
}
