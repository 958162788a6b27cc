package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.SubscribeEncoder;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker's limits and MQTT 5 features, checked byte-exactly with a codec-built raw client. */
class ProtocolLimitsTest {
    private static final byte[] NO_TOPIC = new byte[0];

    private static ConnectEncoder connect(String clientId) {
        return new ConnectEncoder().clientId(clientId).keepAliveSeconds(0);
    }

    private static RawClient.Encoding publish(String topic, int qos, int packetId, MqttProperties props, int size) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return dst -> PublishEncoder.encode(dst, ProtocolVersion.MQTT_5, t, qos, false, false, packetId, props,
                ByteBuffer.wrap(new byte[size]));
    }

    private static RawClient.Encoding subscribe(int packetId, int subscriptionId, String filter, int qos) {
        SubscribeEncoder s = new SubscribeEncoder().subscribe(ProtocolVersion.MQTT_5, packetId).add(filter, qos, false,
                false, 0);
        if (subscriptionId > 0) {
            s.properties().addSubscriptionIdentifier(subscriptionId);
        }
        return s::encode;
    }

    private static int disconnectReason(RawClient c) throws IOException {
        return c.expect(PacketType.DISCONNECT).reason().reasonCode();
    }

    @Test
    void shouldAnnounceItsLimitsInConnack() throws IOException {
        try (MockBroker broker = MockBroker.builder().receiveMaximum(3).topicAliasMaximum(4).maximumQos(1)
                .retainAvailable(false).maximumPacketSize(1000).serverKeepAlive(7).start();
                RawClient c = new RawClient(broker.port(), ProtocolVersion.MQTT_5)) {
            c.send(new ConnectEncoder().clientId("limits")::encode);
            PacketDecoder d = c.expect(PacketType.CONNACK);
            assertEquals(0, d.connack().reasonCode());
            assertEquals(3, d.connack().properties().number(Property.RECEIVE_MAXIMUM, -1));
            assertEquals(4, d.connack().properties().number(Property.TOPIC_ALIAS_MAXIMUM, -1));
            assertEquals(1, d.connack().properties().number(Property.MAXIMUM_QOS, -1));
            assertEquals(0, d.connack().properties().number(Property.RETAIN_AVAILABLE, -1));
            assertEquals(1000, d.connack().properties().number(Property.MAXIMUM_PACKET_SIZE, -1));
            assertEquals(7, d.connack().properties().number(Property.SERVER_KEEP_ALIVE, -1));
        }
    }

    @Test
    void shouldDisconnectAClientThatExceedsReceiveMaximum() throws IOException {
        try (MockBroker broker = MockBroker.builder().receiveMaximum(2).start();
                RawClient c = RawClient.connect(broker.port(), connect("greedy"))) {
            broker.faults("greedy").withhold(PacketType.PUBACK);
            for (int id = 1; id <= 3; id++) {
                c.send(publish("t", 1, id, null, 1));
            }
            assertEquals(0x93, disconnectReason(c));
            assertTrue(c.closedByBroker());
        }
    }

    @Test
    void shouldResolveTopicAliasesAndRefuseBadOnes() throws IOException {
        try (MockBroker broker = MockBroker.builder().topicAliasMaximum(2).start();
                RawClient c = RawClient.connect(broker.port(), connect("alias"))) {
            c.send(publish("tele/long/topic/name", 1, 1, new MqttProperties().put(Property.TOPIC_ALIAS, 2), 1));
            c.expect(PacketType.PUBACK);
            byte[] empty = NO_TOPIC;
            MqttProperties aliasOnly = new MqttProperties().put(Property.TOPIC_ALIAS, 2);
            c.send(dst -> PublishEncoder.encode(dst, ProtocolVersion.MQTT_5, empty, 1, false, false, 2, aliasOnly,
                    ByteBuffer.wrap(new byte[] {'2'})));
            c.expect(PacketType.PUBACK);
            List<RecordedPacket> both = broker.awaitPublishes("tele/long/#", 2);
            assertEquals(2, both.get(1).topicAlias());
            assertEquals("tele/long/topic/name", both.get(1).topic());

            MqttProperties unknown = new MqttProperties().put(Property.TOPIC_ALIAS, 1);
            c.send(dst -> PublishEncoder.encode(dst, ProtocolVersion.MQTT_5, empty, 0, false, false, 0, unknown,
                    ByteBuffer.wrap(new byte[0])));
            assertEquals(0x82, disconnectReason(c), "an alias never set is a Protocol Error");
        }
        try (MockBroker broker = MockBroker.builder().topicAliasMaximum(2).start();
                RawClient c = RawClient.connect(broker.port(), connect("alias"))) {
            c.send(publish("x", 0, 0, new MqttProperties().put(Property.TOPIC_ALIAS, 3), 1));
            assertEquals(0x94, disconnectReason(c), "an alias over the maximum is Topic Alias Invalid");
        }
    }

    @Test
    void shouldRefusePacketsOverTheMaximumPacketSize() throws IOException {
        try (MockBroker broker = MockBroker.builder().maximumPacketSize(100).start();
                RawClient c = RawClient.connect(broker.port(), connect("big"))) {
            c.send(publish("t", 0, 0, null, 200));
            assertEquals(0x95, disconnectReason(c));
        }
    }

    @Test
    void shouldEnforceMaximumQosAndRetainAvailable() throws IOException {
        try (MockBroker broker = MockBroker.builder().maximumQos(1).retainAvailable(false).start()) {
            try (RawClient c = RawClient.connect(broker.port(), connect("q"))) {
                c.send(subscribe(1, 0, "a", 2));
                assertEquals(1, c.expect(PacketType.SUBACK).suback().reasonCode(0), "granted QoS is capped");
                c.send(publish("a", 2, 1, null, 1));
                assertEquals(0x9B, disconnectReason(c));
            }
            try (RawClient c = RawClient.connect(broker.port(), connect("r"))) {
                c.send(dst -> PublishEncoder.encode(dst, ProtocolVersion.MQTT_5, new byte[] {'a'}, 0, false, true, 0,
                        null, ByteBuffer.wrap(new byte[] {1})));
                assertEquals(0x9A, disconnectReason(c));
            }
        }
    }

    @Test
    void shouldAnswerAMalformedPacketWithItsReasonCode() throws IOException {
        try (MockBroker broker = MockBroker.start(); RawClient c = RawClient.connect(broker.port(), connect("bad"))) {
            c.sendBytes(new byte[] {0x62, 0x02, 0x00, 0x00});  // PUBREL with Packet Identifier 0: Protocol Error
            assertEquals(0x82, disconnectReason(c));
            RecordedPacket bad = broker.await(p -> p.malformed() != null, 1, java.time.Duration.ofSeconds(5),
                    "the malformed packet").get(0);
            assertEquals("MALFORMED", bad.typeName());
        }
        try (MockBroker broker = MockBroker.start(); RawClient c = RawClient.connect(broker.port(), connect("bad"))) {
            c.sendBytes(new byte[] {0x36, 0x05, 0x00, 0x01, 'x', 0x00, 0x01});  // QoS 3
            assertEquals(0x81, disconnectReason(c));
        }
    }

    @Test
    void shouldSendSubscriptionIdentifiersOfEveryMatchingSubscription() throws IOException {
        try (MockBroker broker = MockBroker.start(); RawClient c = RawClient.connect(broker.port(), connect("ids"))) {
            c.send(subscribe(1, 7, "a/#", 1));
            c.expect(PacketType.SUBACK);
            c.send(subscribe(2, 9, "a/b", 1));
            c.expect(PacketType.SUBACK);
            broker.publish("a/b", "hi", 1, false);
            PacketDecoder d = c.expect(PacketType.PUBLISH);
            assertEquals(2, d.publish().properties().subscriptionIdentifierCount());
            assertEquals(List.of(7, 9), broker.awaitSent("ids", PacketType.PUBLISH).subscriptionIdentifiers());
        }
    }

    @Test
    void shouldRespectTheClientsReceiveMaximumAndMaximumPacketSize() throws IOException {
        ConnectEncoder slow = connect("slow");
        slow.properties().put(Property.RECEIVE_MAXIMUM, 1).put(Property.MAXIMUM_PACKET_SIZE, 64);
        try (MockBroker broker = MockBroker.start(); RawClient c = RawClient.connect(broker.port(), slow)) {
            c.send(subscribe(1, 0, "q", 1));
            c.expect(PacketType.SUBACK);
            broker.publish("q", new byte[200], 1, false);  // over the client's 64 bytes: dropped
            broker.publish("q", "one", 1, false);
            broker.publish("q", "two", 1, false);
            PacketDecoder d = c.expect(PacketType.PUBLISH);
            int first = d.publish().packetId();
            assertEquals(3, d.publish().payloadLength());
            c.timeout(300);
            try {
                c.read();
                throw new AssertionError("a second PUBLISH went out beyond Receive Maximum 1");
            } catch (SocketTimeoutException expected) {
                c.timeout(5000);
            }
            c.send(dst -> AckEncoder.encode(dst, PacketType.PUBACK, ProtocolVersion.MQTT_5, first, 0, null));
            assertEquals(3, c.expect(PacketType.PUBLISH).publish().payloadLength());
        }
    }
}
