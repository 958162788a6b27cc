package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Test support: random valid packets of every type and both versions, built with the public encoders,
 * with any subset of the properties each packet allows. Deterministic for a given {@link Random}.
 */
final class PacketGenerator {
    private static final String[] LEVELS = {"a", "sensor", "temp", "ü", "\u6e29\u5ea6", "x-y_z", "$SYS", "", "\uD83D\uDE00"};
    private static final int[] V3_TYPES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};

    private final Random random;

    PacketGenerator(Random random) {
        this.random = random;
    }

    /** @return one encoded packet, flipped for reading */
    ByteBuffer next(ProtocolVersion version) {
        int type = version.isMqtt5() ? 1 + random.nextInt(15) : V3_TYPES[random.nextInt(V3_TYPES.length)];
        ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
        boolean v5 = version.isMqtt5();
        switch (type) {
            case PacketType.CONNECT: connect(version).encode(dst); break;
            case PacketType.CONNACK: {
                int code = v5 ? pick(0x00, 0x80, 0x81, 0x87, 0x8C, 0x9C, 0x9F) : random.nextInt(6);
                ConnackEncoder.encode(dst, version, code == 0 && random.nextBoolean(), code,
                        v5 ? properties(PacketType.CONNACK) : null);
                break;
            }
            case PacketType.PUBLISH: publish(dst, version); break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
                AckEncoder.encode(dst, type, version, packetId(), v5 ? pick(0x00, 0x10, 0x80, 0x87, 0x99) : 0,
                        v5 ? properties(type) : null);
                break;
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                AckEncoder.encode(dst, type, version, packetId(), v5 ? pick(0x00, 0x92) : 0, v5 ? properties(type) : null);
                break;
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE: subscribe(type, version).encode(dst); break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK: suback(dst, type, version); break;
            case PacketType.PINGREQ:
            case PacketType.PINGRESP: PingEncoder.encode(dst, type); break;
            case PacketType.DISCONNECT:
                ReasonEncoder.encode(dst, type, version, v5 ? pick(0x00, 0x04, 0x81, 0x8E, 0x9C, 0xA2) : 0,
                        v5 ? properties(type) : null);
                break;
            default: {
                MqttProperties props = properties(type);
                int code = pick(ReasonCode.SUCCESS, ReasonCode.CONTINUE_AUTHENTICATION, ReasonCode.RE_AUTHENTICATE);
                if (code != 0 || !props.isEmpty()) {
                    props.string(Property.AUTHENTICATION_METHOD, "SCRAM-SHA-256");
                }
                ReasonEncoder.encode(dst, type, version, code, props);
            }
        }
        dst.flip();
        return dst;
    }

    private ConnectEncoder connect(ProtocolVersion version) {
        String clientId = random.nextBoolean() ? "" : string();
        // 3.1.1 lets only a clean session go without a Client Identifier
        boolean cleanStart = random.nextBoolean() || (clientId.isEmpty() && !version.isMqtt5());
        ConnectEncoder connect = new ConnectEncoder().version(version).cleanStart(cleanStart)
                .keepAliveSeconds(random.nextInt(65536)).clientId(clientId);
        boolean v5 = version.isMqtt5();
        if (v5) {
            copy(properties(PacketType.CONNECT), connect.properties());
        }
        if (random.nextBoolean()) {
            connect.will(topicName().getBytes(StandardCharsets.UTF_8), bytes(), random.nextInt(3), random.nextBoolean());
            if (v5) {
                copy(properties(Property.WILL_SCOPE), connect.willProperties());
            }
        }
        boolean user = random.nextBoolean();
        if (user) {
            connect.userName(string().getBytes(StandardCharsets.UTF_8));
        }
        if (random.nextBoolean() && (user || v5)) {
            connect.password(bytes());
        }
        return connect;
    }

    private void publish(ByteBuffer dst, ProtocolVersion version) {
        int qos = random.nextInt(3);
        MqttProperties props = version.isMqtt5() ? properties(PacketType.PUBLISH) : null;
        byte[] topic = (props != null && props.has(Property.TOPIC_ALIAS) && random.nextBoolean())
                ? new byte[0] : topicName().getBytes(StandardCharsets.UTF_8);
        PublishEncoder.encode(dst, version, topic, qos, qos > 0 && random.nextBoolean(), random.nextBoolean(),
                qos > 0 ? packetId() : 0, props, ByteBuffer.wrap(bytes()));
    }

    private SubscribeEncoder subscribe(int type, ProtocolVersion version) {
        SubscribeEncoder encoder = new SubscribeEncoder();
        if (type == PacketType.SUBSCRIBE) {
            encoder.subscribe(version, packetId());
        } else {
            encoder.unsubscribe(version, packetId());
        }
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String filter = topicFilter();
            boolean shared = filter.startsWith("$share/");
            encoder.add(filter.getBytes(StandardCharsets.UTF_8), version.isMqtt5()
                    ? SubscribeEncoder.options(random.nextInt(3), !shared && random.nextBoolean(), random.nextBoolean(),
                            random.nextInt(3))
                    : random.nextInt(3));
        }
        if (version.isMqtt5()) {
            copy(properties(type), encoder.properties());
        }
        return encoder;
    }

    private void suback(ByteBuffer dst, int type, ProtocolVersion version) {
        boolean v5 = version.isMqtt5();
        int count = !v5 && type == PacketType.UNSUBACK ? 0 : 1 + random.nextInt(4);
        byte[] codes = new byte[count];
        for (int i = 0; i < count; i++) {
            codes[i] = (byte) (type == PacketType.SUBACK
                    ? (v5 ? pick(0x00, 0x01, 0x02, 0x80, 0x8F, 0x9E, 0xA2) : pick(0x00, 0x01, 0x02, 0x80))
                    : pick(0x00, 0x11, 0x80, 0x87, 0x91));
        }
        SubackEncoder.encode(dst, type, version, packetId(), v5 ? properties(type) : null, codes, 0, count);
    }

    /** Any subset of the properties {@code scope} allows, with legal random values. */
    MqttProperties properties(int scope) {
        MqttProperties props = new MqttProperties();
        for (int id = 1; id <= Property.MAX_ID; id++) {
            if (!Property.isAllowedIn(id, scope) || random.nextInt(3) != 0) {
                continue;
            }
            switch (Property.type(id)) {
                case Property.TYPE_BYTE: props.put(id, random.nextInt(2)); break;
                case Property.TYPE_TWO_BYTE: props.put(id, 1 + random.nextInt(65535)); break;
                case Property.TYPE_FOUR_BYTE: props.put(id, 1 + (random.nextLong() & 0x7FFF_FFFFL)); break;
                case Property.TYPE_VAR_INT:
                    int count = scope == PacketType.PUBLISH ? 1 + random.nextInt(3) : 1;
                    for (int i = 0; i < count; i++) {
                        props.addSubscriptionIdentifier(1 + random.nextInt(VarInt.MAX_VALUE));
                    }
                    break;
                case Property.TYPE_UTF8: props.string(id, string()); break;
                case Property.TYPE_BINARY: props.put(id, bytes()); break;
                default:
                    for (int i = random.nextInt(3); i >= 0; i--) {
                        props.addUserProperty(string(), string());
                    }
            }
        }
        return props;
    }

    private static void copy(MqttProperties from, MqttProperties to) {
        to.clear();
        for (int id = 1; id <= Property.MAX_ID; id++) {
            if (!from.has(id)) {
                continue;
            }
            switch (Property.type(id)) {
                case Property.TYPE_UTF8:
                case Property.TYPE_BINARY: to.put(id, from.bytes(id)); break;
                case Property.TYPE_VAR_INT:
                    for (int i = 0; i < from.subscriptionIdentifierCount(); i++) {
                        to.addSubscriptionIdentifier(from.subscriptionIdentifier(i));
                    }
                    break;
                case Property.TYPE_UTF8_PAIR:
                    for (int i = 0; i < from.userPropertyCount(); i++) {
                        to.addUserProperty(from.userPropertyKey(i), from.userPropertyValue(i));
                    }
                    break;
                default: to.put(id, from.number(id, 0));
            }
        }
    }

    private int pick(int... values) {
        return values[random.nextInt(values.length)];
    }

    private int packetId() {
        return 1 + random.nextInt(65535);
    }

    private String string() {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            s.append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return s.toString();
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }

    private String topicName() {
        StringBuilder s = new StringBuilder(LEVELS[random.nextInt(LEVELS.length)]);
        for (int i = random.nextInt(4); i > 0; i--) {
            s.append('/').append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return s.length() == 0 ? "t" : s.toString();
    }

    private String topicFilter() {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(5) == 0) {
            s.append("$share/group/");
        }
        int levels = 1 + random.nextInt(4);
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                s.append('/');
            }
            int kind = random.nextInt(5);
            s.append(kind == 0 ? "+" : kind == 1 && i == levels - 1 ? "#" : LEVELS[random.nextInt(LEVELS.length - 1)]);
        }
        String filter = s.toString();
        return filter.isEmpty() || filter.equals("$share/group/") ? "f" : filter;
    }
}
