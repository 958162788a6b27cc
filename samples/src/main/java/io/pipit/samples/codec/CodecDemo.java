package io.pipit.samples.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.ConnackEncoder;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PingEncoder;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.ReasonEncoder;
import io.pipit.mqtt.codec.SubackEncoder;
import io.pipit.mqtt.codec.SubscribeEncoder;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The main job until the client lands: a telemetry gateway's MQTT 5 session written with pipit's encoders
 * into one buffer, then read back packet by packet with the decoder, as a client and broker would. Ends
 * with a malformed packet to show the error a broker's bad bytes produce, and a count of the bytes a
 * million publish round trips allocate.
 */
public final class CodecDemo {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private CodecDemo() {
    }

    public static void main(String[] args) {
        ByteBuffer wire = ByteBuffer.allocate(4096);
        writeSession(wire);
        wire.flip();
        System.out.println("pipit codec demo: a gateway's MQTT 5 session, " + wire.limit() + " bytes on the wire\n");
        readSession(wire);
        showMalformedPacket();
        countAllocation();
    }

    private static void writeSession(ByteBuffer wire) {
        ConnectEncoder connect = new ConnectEncoder().version(V5).cleanStart(false).keepAliveSeconds(60)
                .clientId("gateway-7");
        connect.properties().put(Property.SESSION_EXPIRY_INTERVAL, 3600).put(Property.RECEIVE_MAXIMUM, 64);
        connect.will("tele/gateway-7/status".getBytes(StandardCharsets.UTF_8),
                "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        connect.encode(wire);
        MqttProperties connack = new MqttProperties().put(Property.TOPIC_ALIAS_MAXIMUM, 10)
                .put(Property.SERVER_KEEP_ALIVE, 45);
        ConnackEncoder.encode(wire, V5, true, ReasonCode.SUCCESS, connack);
        SubscribeEncoder subscribe = new SubscribeEncoder().subscribe(V5, 1).add("cmd/gateway-7/#", 1, true, false, 0);
        subscribe.properties().addSubscriptionIdentifier(7);
        subscribe.encode(wire);
        SubackEncoder.encode(wire, PacketType.SUBACK, V5, 1, null, new byte[] {ReasonCode.GRANTED_QOS_1}, 0, 1);
        byte[] reading = "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8);
        MqttProperties publish = new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 300)
                .string(Property.CONTENT_TYPE, "application/json");
        PublishEncoder.encode(wire, V5, Topic.of("tele/gateway-7/temp"), 1, false, false, 2, publish, reading, 0,
                reading.length);
        AckEncoder.encode(wire, PacketType.PUBACK, V5, 2, ReasonCode.SUCCESS, null);
        PingEncoder.encode(wire, PacketType.PINGREQ);
        PingEncoder.encode(wire, PacketType.PINGRESP);
        ReasonEncoder.encode(wire, PacketType.DISCONNECT, V5, ReasonCode.NORMAL_DISCONNECTION, null);
    }

    private static void readSession(ByteBuffer wire) {
        PacketDecoder decoder = new PacketDecoder(V5, 64 * 1024);
        int index = 0;
        int length;
        while ((length = decoder.decode(wire, index, wire.limit())) > 0) {
            System.out.printf(Locale.ROOT, "%-11s %3d bytes  %s%n  %s%n", PacketType.name(decoder.type()), length,
                    describe(decoder), hex(wire, index, length));
            index += length;
        }
    }

    private static String describe(PacketDecoder d) {
        switch (d.type()) {
            case PacketType.CONNECT:
                return "client " + d.connect().clientId() + ", keepalive " + d.connect().keepAliveSeconds()
                        + " s, session expiry " + d.connect().properties().number(Property.SESSION_EXPIRY_INTERVAL, 0)
                        + " s, will on " + d.connect().willTopic();
            case PacketType.CONNACK:
                return "session present " + d.connack().sessionPresent() + ", "
                        + ReasonCode.name(d.connack().reasonCode()) + ", server keepalive "
                        + d.connack().properties().number(Property.SERVER_KEEP_ALIVE, -1) + " s";
            case PacketType.SUBSCRIBE:
                return d.subscribe().filter(0) + " at QoS " + d.subscribe().maxQos(0) + ", no-local "
                        + d.subscribe().noLocal(0) + ", subscription id "
                        + d.subscribe().properties().subscriptionIdentifier(0);
            case PacketType.SUBACK:
                return "packet " + d.suback().packetId() + ": " + ReasonCode.name(d.suback().reasonCode(0));
            case PacketType.PUBLISH:
                return d.publish().topic() + " QoS " + d.publish().qos() + " id " + d.publish().packetId() + ", "
                        + d.publish().properties().string(Property.CONTENT_TYPE) + ", payload "
                        + StandardCharsets.UTF_8.decode(slice(d.publish().buffer(), d.publish().payloadOffset(),
                                d.publish().payloadLength()));
            case PacketType.PUBACK:
                return "packet " + d.ack().packetId() + ": " + ReasonCode.name(d.ack().reasonCode());
            case PacketType.DISCONNECT:
                return ReasonCode.name(d.reason().reasonCode());
            default:
                return "";
        }
    }

    private static void showMalformedPacket() {
        // A PUBLISH claiming QoS 3: what a broken or hostile broker might send.
        ByteBuffer bad = ByteBuffer.wrap(new byte[] {0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01});
        try {
            new PacketDecoder(V5, 1024).decode(bad, 0, bad.limit());
        } catch (MqttCodecException e) {
            System.out.println("\nmalformed input " + hex(bad, 0, bad.limit()) + "\n  -> " + e.getMessage()
                    + "\n  -> a client answers DISCONNECT with reason " + ReasonCode.describe(e.reasonCode()));
        }
    }

    private static void countAllocation() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PacketDecoder decoder = new PacketDecoder(V5, 64 * 1024);
        ByteBuffer buffer = ByteBuffer.allocateDirect(256);
        Topic topic = Topic.of("tele/gateway-7/temp");
        byte[] payload = new byte[64];
        roundTrips(decoder, buffer, topic, payload, 200_000);
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long checksum = roundTrips(decoder, buffer, topic, payload, 1_000_000);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        System.out.printf(Locale.ROOT, "%n1,000,000 QoS 1 PUBLISH encode + decode round trips (checksum %d): %d bytes"
                + " allocated%n", checksum, allocated);
    }

    private static long roundTrips(PacketDecoder decoder, ByteBuffer buffer, Topic topic, byte[] payload, int count) {
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            buffer.clear();
            PublishEncoder.encode(buffer, V5, topic, 1, false, false, 1 + i % 65_535, null, payload, 0, payload.length);
            checksum += decoder.decode(buffer, 0, buffer.position()) + decoder.publish().packetId();
        }
        return checksum;
    }

    private static ByteBuffer slice(ByteBuffer buffer, int offset, int length) {
        ByteBuffer slice = buffer.duplicate();
        slice.limit(offset + length).position(offset);
        return slice;
    }

    private static String hex(ByteBuffer buffer, int offset, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(String.format(Locale.ROOT, "%02x", buffer.get(offset + i))).append(i + 1 < length ? " " : "");
        }
        return s.toString();
    }
}
