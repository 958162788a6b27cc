package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Sessions across connections and the fallback to MQTT 3.1.1, on a virtual clock. */
class EngineSessionTest {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final ScriptedServer server = new ScriptedServer(V5);
    private final ConnectEncoder connect = new ConnectEncoder().version(V5).clientId("c1").keepAliveSeconds(60)
            .cleanStart(false);
    private final Engine engine = new Engine(connect, 16, queue, listener).fallBackTo311(true);
    private final long now = 5_000_000_000L;

    private void open() {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
    }

    private void connack(boolean sessionPresent) {
        server.connack(sessionPresent, ReasonCode.SUCCESS, null).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    private void publish(int qos, String payload) {
        ByteBuffer packet = ByteBuffer.allocate(256);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        PublishEncoder.encode(packet, V5, Topic.of("t"), qos, false, false, 1, null, bytes, 0, bytes.length);
        packet.flip();
        queue.offer(packet);
    }

    @Test
    void shouldFallBackTo311WhenA311BrokerRefusesTheVersion() {
        publish(1, "queued as 5.0");
        open();
        server.raw(0x20, 0x02, 0x00, 0x01).deliver(engine, now); // 3.1.1 CONNACK: unacceptable protocol version
        assertEquals(Engine.CLOSED, engine.state());
        assertTrue(engine.wantsImmediateRetry());
        assertEquals("closed 0x84 byServer=true", listener.last());

        ScriptedServer v311 = new ScriptedServer(ProtocolVersion.MQTT_3_1_1);
        engine.onConnectionOpened(now);
        assertFalse(engine.wantsImmediateRetry());
        v311.drain(engine, now);
        assertEquals(PacketType.CONNECT, v311.next());
        assertEquals(ProtocolVersion.MQTT_3_1_1, v311.decoder.connect().version());
        v311.connack(false, 0, null).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
        v311.drain(engine, now);
        assertEquals(PacketType.PUBLISH, v311.next()); // the 5.0 packet, re-shaped for 3.1.1
        assertEquals("queued as 5.0", StandardCharsets.UTF_8.decode(slice(v311)).toString());
    }

    private static ByteBuffer slice(ScriptedServer s) {
        ByteBuffer b = s.decoder.publish().buffer().duplicate();
        b.limit(s.decoder.publish().payloadOffset() + s.decoder.publish().payloadLength())
                .position(s.decoder.publish().payloadOffset());
        return b;
    }

    @Test
    void shouldFallBackWhenA5BrokerSaysUnsupportedProtocolVersion() {
        open();
        server.connack(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, null).deliver(engine, now);
        assertTrue(engine.wantsImmediateRetry());
        assertEquals(ProtocolVersion.MQTT_3_1_1, engine.version());
    }

    @Test
    void shouldFallBackWhenTheServerClosesOnThe5ConnectWithoutConnack() {
        open(); // a 3.1.1-only broker that cannot parse a 5.0 CONNECT (RabbitMQ 3.x) just closes the connection
        engine.onServerClosed("the server closed the connection");
        assertTrue(engine.wantsImmediateRetry());
        assertEquals(ProtocolVersion.MQTT_3_1_1, engine.version());
        assertEquals("closed 0x84 byServer=true", listener.last());
    }

    @Test
    void shouldStayOn5WhenTheServerClosesAfterConnack() {
        open();
        connack(false);
        engine.onServerClosed("the server closed the connection");
        assertFalse(engine.wantsImmediateRetry());
        assertEquals(V5, engine.version());
        assertEquals(Engine.CLOSED, engine.state());
    }

    @Test
    void shouldStayOn5WhenAReconnectIsClosedBeforeConnack() {
        open();
        connack(false);
        engine.onConnectionLost("cut");
        open(); // the server accepted 5.0 before: this close is the network's doing, not a version refusal
        engine.onServerClosed("the server closed the connection");
        assertFalse(engine.wantsImmediateRetry());
        assertEquals(V5, engine.version());
    }

    @Test
    void shouldFallBackWhenARedirectTargetClosesOnThe5ConnectWithoutConnack() {
        engine.followServerReference(true);
        open();
        connack(false); // this server speaks 5.0 ...
        io.pipit.mqtt.codec.ReasonEncoder.encode(server.toClient, PacketType.DISCONNECT, V5, ReasonCode.SERVER_MOVED,
                new io.pipit.mqtt.codec.MqttProperties().string(io.pipit.mqtt.codec.Property.SERVER_REFERENCE,
                        "rabbit.example:1883"));
        server.deliver(engine, now);
        assertTrue(engine.wantsImmediateRetry());
        open(); // ... and sends us to one that only speaks 3.1.1 and closes on a 5.0 CONNECT (RabbitMQ 3.x)
        engine.onServerClosed("the server closed the connection");
        assertEquals("closed 0x84 byServer=true", listener.last(), "a refusal, as on a first connect");
        assertTrue(engine.wantsImmediateRetry());
        assertEquals(ProtocolVersion.MQTT_3_1_1, engine.version());
    }

    @Test
    void shouldCompleteAQos2PublishThatTheServerAnsweredWithPuback() {
        publish(2, "exactly once?");
        open();
        connack(false);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        // RabbitMQ 3.x takes a QoS 2 PUBLISH at QoS 1 and says so with a PUBACK: delivered, so completed
        server.ack(PacketType.PUBACK, server.decoder.publish().packetId(), ReasonCode.SUCCESS).deliver(engine, now);
        assertEquals("completed 0 0x00", listener.last());
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldReportRefusalsOf311BrokersAsReasonCodes() {
        ConnectEncoder v3 = new ConnectEncoder().version(ProtocolVersion.MQTT_3_1_1).clientId("c");
        Engine engine311 = new Engine(v3, 4, queue, listener);
        ScriptedServer v311 = new ScriptedServer(ProtocolVersion.MQTT_3_1_1);
        engine311.onConnectionOpened(now);
        v311.drain(engine311, now);
        v311.next();
        v311.connack(false, 4, null).deliver(engine311, now); // 3.1.1: bad user name or password
        assertEquals("closed 0x86 byServer=true", listener.last());
    }

    @Test
    void shouldResubscribeWhenTheServerKeptNoSession() {
        open();
        connack(false);
        engine.subscribe("cmd/#".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        int packetId = server.decoder.subscribe().packetId();
        server.raw(0x90, 0x04, 0x00, packetId, 0x00, 0x01); // SUBACK: no properties, granted QoS 1
        server.deliver(engine, now);
        engine.onConnectionLost("cut");

        open();
        connack(true); // the server kept the session and its subscriptions
        server.drain(engine, now);
        server.assertNothingSent();
        engine.onConnectionLost("cut");

        open();
        connack(false); // session gone: subscribe again
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        assertEquals("cmd/#", server.decoder.subscribe().filter(0).toString());
        assertEquals(1, server.decoder.subscribe().maxQos(0));
    }

    @Test
    void shouldResendWithoutDupWhenTheServerKeptNoSession() {
        open();
        connack(false);
        publish(1, "at least once");
        server.drain(engine, now);
        server.next();
        engine.onConnectionLost("cut");
        open();
        connack(false);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        assertFalse(server.decoder.publish().dup(), "new to a server that lost the session");
        assertEquals(1, engine.inflightCount());
    }

    @Test
    void shouldFreeIdentifiersOfRequestsLostWithTheConnection() {
        open();
        connack(false);
        engine.subscribe("a".getBytes(StandardCharsets.UTF_8), 0, listener);
        server.drain(engine, now);
        server.next();
        engine.onConnectionLost("cut before SUBACK");
        open();
        connack(true);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next(), "never acknowledged, so sent again");
        assertEquals("a", server.decoder.subscribe().filter(0).toString());
    }

    @Test
    void shouldFollowAServerReferenceInDisconnectWhenEnabled() {
        engine.followServerReference(true);
        open();
        connack(true);
        io.pipit.mqtt.codec.ReasonEncoder.encode(server.toClient, PacketType.DISCONNECT, V5, ReasonCode.SERVER_MOVED,
                new io.pipit.mqtt.codec.MqttProperties().string(io.pipit.mqtt.codec.Property.SERVER_REFERENCE,
                        "broker-b.example:1884"));
        server.deliver(engine, now);
        assertEquals("closed 0x9D byServer=true", listener.last());
        assertEquals("broker-b.example:1884", engine.serverReference());
        assertTrue(engine.wantsImmediateRetry());
    }

    @Test
    void shouldSpendTheRetryAdviceWhenTheNextAttemptBegins() {
        engine.followServerReference(true);
        open();
        server.connack(false, ReasonCode.USE_ANOTHER_SERVER, new io.pipit.mqtt.codec.MqttProperties()
                .string(io.pipit.mqtt.codec.Property.SERVER_REFERENCE, "unreachable.example")).deliver(engine, now);
        assertTrue(engine.wantsImmediateRetry());
        engine.onConnectAttempt(); // the driver goes there; should its TCP connect fail, that failure gets the backoff
        assertFalse(engine.wantsImmediateRetry());
        assertEquals(null, engine.serverReference());
    }

    @Test
    void shouldRefuseAPayloadAnnouncedAsUtf8ThatIsNot() {
        open();
        connack(false);
        engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        server.next();
        ByteBuffer bad = ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x28}); // an invalid 2-byte sequence
        PublishEncoder.encode(server.toClient, V5, "t".getBytes(StandardCharsets.UTF_8), 1, false, false, 7,
                new io.pipit.mqtt.codec.MqttProperties().put(io.pipit.mqtt.codec.Property.PAYLOAD_FORMAT_INDICATOR, 1),
                bad);
        server.deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.PUBACK, server.next());
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID, server.decoder.ack().reasonCode());
        assertFalse(listener.events.stream().anyMatch(e -> e.startsWith("message")), "not delivered");
    }

    @Test
    void shouldAssignOutgoingTopicAliasesAndResendWithFullTopics() {
        Engine aliasing = new Engine(connect, 16, 8, queue, listener);
        aliasing.onConnectionOpened(now);
        server.drain(aliasing, now);
        server.next();
        server.connack(false, ReasonCode.SUCCESS, new io.pipit.mqtt.codec.MqttProperties()
                .put(io.pipit.mqtt.codec.Property.TOPIC_ALIAS_MAXIMUM, 2)).deliver(aliasing, now);
        String[] topics = {"tele/a", "tele/a", "tele/c", "tele/d", "tele/c"};
        for (String topic : topics) {
            ByteBuffer packet = ByteBuffer.allocate(256);
            PublishEncoder.encode(packet, V5, Topic.of(topic), 1, false, false, 1, null, new byte[] {1}, 0, 1);
            packet.flip();
            queue.offer(packet);
        }
        server.drain(aliasing, now);
        String[] expected = {"tele/a alias 1", " alias 1", "tele/c alias 2", "tele/d alias 1", " alias 2"};
        for (String want : expected) {
            assertEquals(PacketType.PUBLISH, server.next());
            assertEquals(want, server.decoder.publish().topic() + " alias "
                    + server.decoder.publish().properties().number(io.pipit.mqtt.codec.Property.TOPIC_ALIAS, -1));
        }
        aliasing.onConnectionLost("cut");
        aliasing.onConnectionOpened(now);
        server.drain(aliasing, now);
        server.next();
        server.connack(true, ReasonCode.SUCCESS, null).deliver(aliasing, now); // this time: no aliases allowed
        server.drain(aliasing, now);
        for (String topic : topics) {
            assertEquals(PacketType.PUBLISH, server.next());
            assertEquals(topic, server.decoder.publish().topic().toString(), "resent with its full topic");
            assertFalse(server.decoder.publish().properties().has(io.pipit.mqtt.codec.Property.TOPIC_ALIAS));
        }
    }

    @Test
    void shouldReconnectWithTheAssignedClientIdentifierAndOmitUnsupportedSubscriptionIdentifiers() {
        connect.clientId("");
        open();
        server.connack(false, ReasonCode.SUCCESS, new io.pipit.mqtt.codec.MqttProperties()
                .string(io.pipit.mqtt.codec.Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-7f3a")
                .put(io.pipit.mqtt.codec.Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)).deliver(engine, now);
        engine.subscribe("cmd/#".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        assertEquals(0, server.decoder.subscribe().properties().subscriptionIdentifierCount());
        engine.onConnectionLost("cut");
        open();
        assertEquals("auto-7f3a", server.decoder.connect().clientId().toString());
    }

    @Test
    void shouldReadEachPacketsPropertiesWhenSeveralArriveInOneReceive() {
        connect.clientId("");
        open();
        java.util.List<String> seen = new java.util.ArrayList<>();
        engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 0, message -> seen.add(
                message.properties().userPropertyKey(0) + "=" + message.properties().userPropertyValue(0)
                + " assigned=" + message.properties().has(io.pipit.mqtt.codec.Property.ASSIGNED_CLIENT_IDENTIFIER)));
        // CONNACK, PUBLISH and DISCONNECT decoded back to back by one decoder sharing one property section
        server.connack(false, ReasonCode.SUCCESS, new io.pipit.mqtt.codec.MqttProperties()
                .string(io.pipit.mqtt.codec.Property.ASSIGNED_CLIENT_IDENTIFIER, "auto-1")
                .put(io.pipit.mqtt.codec.Property.RECEIVE_MAXIMUM, 1))
                .publish("t", 0, false, 0, new io.pipit.mqtt.codec.MqttProperties().addUserProperty("k", "v"), "m")
                .disconnect(ReasonCode.SERVER_SHUTTING_DOWN)
                .deliver(engine, now);
        assertEquals(java.util.Arrays.asList("k=v assigned=false"), seen);
        assertEquals("closed 0x8B byServer=true", listener.last());
        open();
        assertEquals("auto-1", server.decoder.connect().clientId().toString());
    }

    @Test
    void shouldEndThePersistentSessionWithSessionExpiryZeroOnDisconnect() {
        open();
        connack(true);
        engine.disconnect(ReasonCode.NORMAL_DISCONNECTION, true, 0);
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(0, server.decoder.reason().properties().number(
                io.pipit.mqtt.codec.Property.SESSION_EXPIRY_INTERVAL, -1));
    }
}
