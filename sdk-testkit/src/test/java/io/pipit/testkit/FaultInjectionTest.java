package io.pipit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every scripted fault, observed from a raw client (exact bytes) or Paho v5 (a real client's reaction). */
class FaultInjectionTest {
    private final MockBroker broker = MockBroker.start();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private RawClient raw(String clientId) throws IOException {
        return RawClient.connect(broker.port(), new ConnectEncoder().clientId(clientId).keepAliveSeconds(0));
    }

    private static RawClient.Encoding qos1(int packetId) {
        return dst -> PublishEncoder.encode(dst, ProtocolVersion.MQTT_5, new byte[] {'t'}, 1, false, false, packetId,
                null, ByteBuffer.wrap(new byte[] {1}));
    }

    private static void assertSilent(RawClient c, int millis) throws IOException {
        c.timeout(millis);
        try {
            PacketDecoder d = c.read();
            throw new AssertionError("expected silence, got " + (d == null ? "close" : PacketType.name(d.type())));
        } catch (SocketTimeoutException expected) {
            c.timeout(5000);
        }
    }

    @Test
    void shouldWithholdAcksForOneClientOnly() throws IOException {
        broker.faults("mute").withhold(PacketType.PUBACK, 1);
        try (RawClient mute = raw("mute"); RawClient other = raw("other")) {
            mute.send(qos1(1));
            assertSilent(mute, 300);
            mute.send(qos1(2));
            assertEquals(2, mute.expect(PacketType.PUBACK).ack().packetId(), "the rule fired once");
            other.send(qos1(1));
            assertEquals(1, other.expect(PacketType.PUBACK).ack().packetId());
        }
    }

    @Test
    void shouldDelayAcks() throws IOException {
        broker.faults().delay(PacketType.PINGRESP, Duration.ofMillis(400));
        try (RawClient c = raw("slow")) {
            long start = System.nanoTime();
            c.sendBytes(new byte[] {(byte) 0xC0, 0x00});
            c.expect(PacketType.PINGRESP);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 350, "PINGRESP came after " + ms + " ms");
        }
    }

    @Test
    void shouldDropTheConnectionOnAMatchingPacketSoTheClientResends() throws Exception {
        broker.faults().dropOn(p -> p.type() == PacketType.PUBLISH && p.qos() == 1);
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client
                .MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(60L);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 1);
        org.eclipse.paho.mqttv5.client.MqttAsyncClient c = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                broker.uri(), "resender", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            c.connect(o).waitForCompletion(5000);
            c.publish("data", "reading".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
            java.util.List<RecordedPacket> both = broker.awaitPublishes("data", 2, Duration.ofSeconds(10));
            assertTrue(both.get(1).dup(), "the PUBLISH the broker never handled came again with DUP");
            broker.awaitSent("resender", PacketType.PUBACK);
        } finally {
            c.disconnect().waitForCompletion(5000);
            c.close(true);
        }
    }

    @Test
    void shouldDropTheConnectionAfterNPackets() throws IOException {
        try (RawClient c = raw("counted")) {
            broker.faults("counted").dropAfter(2);
            c.send(qos1(1));
            c.send(qos1(2));
            c.expect(PacketType.PUBACK);
            c.expect(PacketType.PUBACK);
            assertTrue(c.closedByBroker(), "closed right after handling the 2nd packet");
        }
    }

    @Test
    void shouldBlackHoleAConnectionKeepingTheSocketOpen() throws IOException {
        try (RawClient c = raw("hole")) {
            broker.blackHole("hole");
            c.sendBytes(new byte[] {(byte) 0xC0, 0x00});
            assertSilent(c, 500);
            assertEquals(java.util.Set.of("hole"), broker.connectedClients(), "the socket is still open");
        }
    }

    @Test
    void shouldBlackHoleOnAMatchingPacket() throws IOException {
        broker.faults().blackHoleOn(p -> p.type() == PacketType.PINGREQ);
        try (RawClient c = raw("hole")) {
            c.sendBytes(new byte[] {(byte) 0xC0, 0x00});
            assertSilent(c, 400);
        }
    }

    @Test
    void shouldSendDisconnectWithAnyReasonAndServerReference() throws Exception {
        try (Paho5 c = Paho5.connect(broker, "moved")) {
            broker.disconnect("moved", 0x9C, "other.example:1883");
            org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r = c.awaitDisconnect();
            assertEquals(0x9C, r.getReturnCode());
            assertEquals("other.example:1883", r.getServerReference());
        }
        RecordedPacket sent = broker.awaitSent("moved", PacketType.DISCONNECT);
        assertEquals("other.example:1883", sent.stringProperty(Property.SERVER_REFERENCE));
    }

    @Test
    void shouldRefuseConnectWithAnyReasonCode() throws IOException {
        broker.faults().refuseConnect(0x9C, "elsewhere:1883", 1);
        try (RawClient c = new RawClient(broker.port(), ProtocolVersion.MQTT_5)) {
            c.send(new ConnectEncoder().clientId("refused")::encode);
            PacketDecoder d = c.expect(PacketType.CONNACK);
            assertEquals(0x9C, d.connack().reasonCode());
            assertEquals("elsewhere:1883", d.connack().properties().string(Property.SERVER_REFERENCE).toString());
            assertTrue(c.closedByBroker());
        }
        try (RawClient c = raw("refused")) {
            assertEquals(java.util.Set.of("refused"), broker.connectedClients(), "the rule fired once");
        }
    }

    @Test
    void shouldClaimSessionPresentWithoutKeepingASession() throws IOException {
        broker.faults("amnesiac").claimSessionPresent(1);
        try (RawClient c = new RawClient(broker.port(), ProtocolVersion.MQTT_5)) {
            c.send(new ConnectEncoder().clientId("amnesiac").cleanStart(true)::encode);
            assertTrue(c.expect(PacketType.CONNACK).connack().sessionPresent(), "claimed in reply to Clean Start");
            assertTrue(broker.subscriptions("amnesiac").isEmpty(), "yet the session is a new, empty one");
        }
        try (RawClient c = new RawClient(broker.port(), ProtocolVersion.MQTT_5)) {
            c.send(new ConnectEncoder().clientId("amnesiac").cleanStart(true)::encode);
            assertFalse(c.expect(PacketType.CONNACK).connack().sessionPresent(), "the rule fired once");
        }
    }

    @Test
    void shouldRefuseMqtt5AsA311OnlyBroker() throws IOException {
        try (MockBroker old = MockBroker.builder().mqtt311Only(true).start()) {
            // read as 3.1.1: the answer to a 5.0 CONNECT is the 3.1.1 CONNACK 20 02 00 01
            try (RawClient c = new RawClient(old.port(), ProtocolVersion.MQTT_3_1_1)) {
                c.send(new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("new")::encode);
                assertEquals(1, c.expect(PacketType.CONNACK).connack().reasonCode(), "unacceptable protocol version");
                assertTrue(c.closedByBroker());
            }
            RecordedPacket refusal = old.awaitSent("new", PacketType.CONNACK);
            assertFalse(refusal.mqtt5());
            assertEquals(1, refusal.reasonCode());
            try (RawClient c = RawClient.connect(old.port(), new ConnectEncoder().version(ProtocolVersion.MQTT_3_1_1)
                    .clientId("old").keepAliveSeconds(0))) {
                old.awaitConnected("old"); // 3.1.1 gets in
            }
        }
    }

    @Test
    void shouldRejectCodesCONNACKCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> broker.faults().refuseConnect(0x8E));
    }

    @Test
    void shouldMakePahoSeeARefusal() throws Exception {
        broker.faults().refuseConnect(0x87);
        Paho5 c = new Paho5(broker, "paho");
        org.eclipse.paho.mqttv5.common.MqttException e = assertThrows(
                org.eclipse.paho.mqttv5.common.MqttException.class, () -> c.client.connect());
        assertEquals(0x87, e.getReasonCode());
        c.client.close(true);
    }

    @Test
    void shouldSendMalformedBytesThatAClientRefuses() throws Exception {
        try (Paho5 c = Paho5.connect(broker, "victim")) {
            broker.sendMalformed("victim");
            c.awaitDisconnect();
            RecordedPacket sent = broker.await(p -> p.malformed() != null, 1, Duration.ofSeconds(5), "malformed")
                    .get(0);
            assertEquals(RecordedPacket.Direction.SENT, sent.direction());
            assertFalse(c.client.isConnected());
        }
    }

    @Test
    void shouldSendAPublishWithAnUnknownTopicAlias() throws IOException {
        try (RawClient c = raw("aliased")) {
            broker.sendPublishWithUnknownTopicAlias("aliased", 5);
            PacketDecoder d = c.expect(PacketType.PUBLISH);
            assertEquals(0, d.publish().topic().byteLength());
            assertEquals(5, d.publish().properties().number(Property.TOPIC_ALIAS, 0));
        }
    }

    @Test
    void shouldRestartKeepingOrLosingSessions() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client
                .MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(60L);
        try (Paho5 c = Paho5.connect(broker, "keeper", o)) {
            c.client.subscribe("k", 1);
            broker.publish("retained/x", "r", 1, true);
            broker.restart(true, Duration.ofMillis(200));
            c.awaitDisconnect();
            assertTrue(broker.hasSession("keeper"));
        }
        // The broker refuses connections for its 200 ms downtime, and Paho's connect does not retry: try again
        // until it is listening (a fixed sleep could end inside the downtime on a loaded machine).
        try (Paho5 c = Paho5.connectRetrying(broker, "keeper", o, Duration.ofSeconds(5))) {
            assertEquals(java.util.List.of("k"), broker.subscriptions("keeper"));
            broker.restart(false);
            c.awaitDisconnect();
            assertFalse(broker.hasSession("keeper"));
        }
        try (Paho5 c = Paho5.connect(broker, "fresh")) {
            c.client.subscribe("retained/#", 1);
            assertNull(c.poll(300), "retained messages went with the sessions");
        }
    }
}
