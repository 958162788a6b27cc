package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.SubscribeEncoder;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What is asked for before the protocol is known goes out in the protocol the CONNACK settled, on a virtual
 * clock: SUBSCRIBE and UNSUBSCRIBE made before a fallback to MQTT 3.1.1 carry no MQTT 5 properties (RabbitMQ 3.x
 * closes the connection on them), publishes queued before it or in flight across it are re-shaped, and a
 * SUBSCRIBE made before CONNACK leaves out the Subscription Identifier the server turned out not to take.
 */
class EngineFallbackTest {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final ProtocolVersion V311 = ProtocolVersion.MQTT_3_1_1;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final ScriptedServer server = new ScriptedServer(V5);
    private final ScriptedServer v311 = new ScriptedServer(V311);
    private final ConnectEncoder connect = new ConnectEncoder().version(V5).clientId("c1").keepAliveSeconds(60);
    private final Engine engine = new Engine(connect, 16, queue, listener).fallBackTo311(true);
    private final long now = 5_000_000_000L;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A 5.0 CONNECT refused by a 3.1.1-only broker, then the 3.1.1 retry accepted. */
    private void fallBackAndConnect() {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.raw(0x20, 0x02, 0x00, 0x01).deliver(engine, now); // 3.1.1 CONNACK: unacceptable protocol version
        assertEquals("closed 0x84 byServer=true", listener.last());
        engine.onConnectionOpened(now);
        v311.drain(engine, now);
        assertEquals(PacketType.CONNECT, v311.next());
        assertEquals(V311, v311.decoder.connect().version());
        v311.connack(false, 0, null).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldSendASubscribeMadeBeforeTheFallbackIn311Form() {
        int options = SubscribeEncoder.options(1, true, true, 2); // No Local etc.: reserved bits in 3.1.1
        int subscribe = engine.subscribe(utf8("rr/q1"), options, listener);
        int unsubscribe = engine.unsubscribe(utf8("rr/old"));
        fallBackAndConnect();

        v311.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, v311.next()); // a 5.0 SUBSCRIBE would not even decode as 3.1.1
        assertEquals(subscribe, v311.decoder.subscribe().packetId());
        assertEquals(1, v311.decoder.subscribe().filterCount());
        assertEquals("rr/q1", v311.decoder.subscribe().filter(0).toString());
        assertEquals(1, v311.decoder.subscribe().options(0), "only the QoS bits exist in 3.1.1");
        assertEquals(PacketType.UNSUBSCRIBE, v311.next());
        assertEquals(unsubscribe, v311.decoder.subscribe().packetId());
        assertEquals("rr/old", v311.decoder.subscribe().filter(0).toString());
        v311.assertNothingSent();

        v311.raw(0x90, 0x03, subscribe >> 8, subscribe & 0xFF, 0x01).deliver(engine, now); // 3.1.1 SUBACK QoS 1
        assertEquals(String.format("suback %d 0x01", subscribe), listener.last());
        v311.publish("rr/q1", 1, false, 9, null, "hello").deliver(engine, now);
        assertEquals("message rr/q1 qos=1 hello", listener.last());
    }

    @Test
    void shouldKeepARequestMadeBeforeTheFallbackForTheConnectionThatFollows() {
        int subscribe = engine.subscribe(utf8("a/b"), 0, listener);
        assertFalse(engine.isRequestPending(0));
        assertTrue(engine.isRequestPending(subscribe));
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        engine.onServerClosed("closed on the 5.0 CONNECT"); // RabbitMQ 3.x: no CONNACK at all
        assertEquals("closed 0x84 byServer=true", listener.last());
        assertTrue(engine.isRequestPending(subscribe), "never written, so not lost with that connection");

        engine.onConnectionOpened(now);
        v311.drain(engine, now);
        v311.next();
        v311.connack(false, 0, null).deliver(engine, now);
        v311.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, v311.next());
        assertEquals(subscribe, v311.decoder.subscribe().packetId());
        assertFalse(engine.isRequestPending(subscribe), "written now: lost if this connection ends before SUBACK");
    }

    @Test
    void shouldStripThePropertiesOfAPublishQueuedBeforeTheFallback() {
        ByteBuffer packet = ByteBuffer.allocate(256);
        PublishEncoder.encode(packet, V5, Topic.of("rr/q1"), 1, false, false, 1, new MqttProperties()
                .put(Property.MESSAGE_EXPIRY_INTERVAL, 600).addUserProperty("k", "v"), utf8("queued"), 0, 6);
        packet.flip();
        long sequence = queue.offer(packet);
        fallBackAndConnect();

        v311.drain(engine, now);
        assertEquals(PacketType.PUBLISH, v311.next());
        assertEquals("rr/q1", v311.decoder.publish().topic().toString());
        assertEquals("queued", payload(v311));
        v311.ack(PacketType.PUBACK, v311.decoder.publish().packetId(), 0).deliver(engine, now);
        assertEquals(String.format("completed %d 0x00", sequence), listener.last());
    }

    @Test
    void shouldResendAPublishInFlightAcrossALateFallbackIn311Form() {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        ByteBuffer packet = ByteBuffer.allocate(256);
        PublishEncoder.encode(packet, V5, Topic.of("t"), 1, false, false, 1,
                new MqttProperties().addUserProperty("k", "v"), utf8("in flight"), 0, 9);
        packet.flip();
        queue.offer(packet);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        engine.onConnectionLost("cut before PUBACK");

        fallBackAndConnect(); // e.g. the next server in the list speaks only 3.1.1
        v311.drain(engine, now);
        assertEquals(PacketType.PUBLISH, v311.next());
        assertEquals("in flight", payload(v311), "resent without its 5.0 properties");
        assertEquals(1, engine.inflightCount());
    }

    @Test
    void shouldLeaveOutTheSubscriptionIdentifierWhenTheConnackSaysTheServerTakesNone() {
        engine.subscribe(utf8("cmd/#"), 1, listener); // before CONNACK: whether identifiers are taken is unknown
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        server.connack(false, ReasonCode.SUCCESS, new MqttProperties()
                .put(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        assertEquals(0, server.decoder.subscribe().properties().subscriptionIdentifierCount());
    }

    @Test
    void shouldRefuseBadInputWhenAskedEvenThoughEncodingWaitsForTheConnack() {
        assertThrows(IllegalArgumentException.class, () -> engine.subscribe(utf8("a/#/b"), 0, listener));
        assertThrows(IllegalArgumentException.class, () -> engine.subscribe(utf8("$share/g/t"),
                SubscribeEncoder.options(1, true, false, 0), listener)); // No Local on a shared subscription
        assertThrows(IllegalArgumentException.class, () -> engine.unsubscribe(utf8("a/#/b")));
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        server.drain(engine, now);
        server.assertNothingSent(); // nothing was queued, and no Packet Identifier was taken
        assertEquals(1, engine.subscribe(utf8("a/b"), 0, listener));
    }

    private static String payload(ScriptedServer s) {
        ByteBuffer b = s.decoder.publish().buffer().duplicate();
        b.limit(s.decoder.publish().payloadOffset() + s.decoder.publish().payloadLength())
                .position(s.decoder.publish().payloadOffset());
        return StandardCharsets.UTF_8.decode(b).toString();
    }
}
