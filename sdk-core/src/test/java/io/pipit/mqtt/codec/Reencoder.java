package io.pipit.mqtt.codec;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;

/**
 * Test support: encodes whatever a {@link PacketDecoder} last decoded again, through the public
 * encoders, so tests can check that decode → encode is byte-identical and that anything the decoders
 * accept is a packet the encoders consider valid.
 */
final class Reencoder {
    private final MqttProperties properties = new MqttProperties();
    private final ConnectEncoder connect = new ConnectEncoder();
    private final SubscribeEncoder subscribe = new SubscribeEncoder();

    /** @return the packet last decoded by {@code decoder}, encoded anew, flipped for reading */
    ByteBuffer reencode(PacketDecoder decoder, int capacity) {
        ByteBuffer dst = ByteBuffer.allocate(capacity);
        ProtocolVersion version = decoder.version();
        int written;
        switch (decoder.type()) {
            case PacketType.CONNECT:
                written = connect.copyFrom(decoder.connect()).encode(dst);
                break;
            case PacketType.CONNACK:
                written = ConnackEncoder.encode(dst, version, decoder.connack().sessionPresent(),
                        decoder.connack().reasonCode(), props(decoder.connack().properties()));
                break;
            case PacketType.PUBLISH:
                written = publish(dst, decoder.publish(), version);
                break;
            case PacketType.PUBACK:
            case PacketType.PUBREC:
            case PacketType.PUBREL:
            case PacketType.PUBCOMP:
                written = AckEncoder.encode(dst, decoder.type(), version, decoder.ack().packetId(),
                        decoder.ack().reasonCode(), props(decoder.ack().properties()));
                break;
            case PacketType.SUBSCRIBE:
            case PacketType.UNSUBSCRIBE:
                written = subscribe(dst, decoder.subscribe(), version);
                break;
            case PacketType.SUBACK:
            case PacketType.UNSUBACK:
                written = suback(dst, decoder.suback(), version);
                break;
            case PacketType.PINGREQ:
            case PacketType.PINGRESP:
                written = PingEncoder.encode(dst, decoder.type());
                break;
            default:
                written = ReasonEncoder.encode(dst, decoder.type(), version, decoder.reason().reasonCode(),
                        props(decoder.reason().properties()));
        }
        if (written < 0) {
            throw new IllegalStateException("capacity " + capacity + " too small");
        }
        dst.flip();
        return dst;
    }

    private MqttProperties props(PropertiesView view) {
        properties.copyFrom(view);
        return properties.isEmpty() ? null : properties;
    }

    private int publish(ByteBuffer dst, PublishView view, ProtocolVersion version) {
        byte[] topic = new byte[view.topic().byteLength()];
        view.topic().copyTo(topic, 0);
        ByteBuffer payload = view.buffer().duplicate();
        payload.limit(view.payloadOffset() + view.payloadLength()).position(view.payloadOffset());
        return PublishEncoder.encode(dst, version, topic, view.qos(), view.dup(), view.retain(), view.packetId(),
                props(view.properties()), payload);
    }

    private int subscribe(ByteBuffer dst, SubscribeView view, ProtocolVersion version) {
        if (view.type() == PacketType.SUBSCRIBE) {
            subscribe.subscribe(version, view.packetId());
        } else {
            subscribe.unsubscribe(version, view.packetId());
        }
        for (int i = 0; i < view.filterCount(); i++) {
            Utf8View filter = view.filter(i);
            byte[] bytes = new byte[filter.byteLength()];
            filter.copyTo(bytes, 0);
            subscribe.add(bytes, view.type() == PacketType.SUBSCRIBE ? view.options(i) : 0);
        }
        subscribe.properties().copyFrom(view.properties());
        return subscribe.encode(dst);
    }

    private int suback(ByteBuffer dst, SubackView view, ProtocolVersion version) {
        byte[] codes = new byte[view.reasonCodeCount()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) view.reasonCode(i);
        }
        return SubackEncoder.encode(dst, view.type(), version, view.packetId(), props(view.properties()), codes, 0,
                codes.length);
    }
}
