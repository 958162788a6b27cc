package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine against a scripted server on a virtual clock: every protocol path, deterministically. */
class EngineTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final ScriptedServer server = new ScriptedServer(V5);
    private final ConnectEncoder connect = new ConnectEncoder().version(V5).clientId("c1").keepAliveSeconds(60)
            .cleanStart(false);
    private Engine engine;
    private long now = 1_000 * SECOND;

    private Engine connected(MqttProperties connackProperties) {
        return connected(connackProperties, 10);
    }

    private Engine connected(MqttProperties connackProperties, int receiveMaximum) {
        connect.properties().put(Property.TOPIC_ALIAS_MAXIMUM, 4).put(Property.RECEIVE_MAXIMUM, receiveMaximum);
        engine = new Engine(connect, 16, queue, listener);
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(false, ReasonCode.SUCCESS, connackProperties).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
        return engine;
    }

    private long publish(String topic, int qos, String payload) {
        ByteBuffer packet = ByteBuffer.allocate(256);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        PublishEncoder.encode(packet, V5, Topic.of(topic), qos, false, false, qos > 0 ? 1 : 0, null, bytes, 0,
                bytes.length);
        packet.flip();
        return queue.offer(packet);
    }

    @Test
    void shouldSendConnectAndReportConnack() {
        connected(null);
        assertEquals("c1", server.decoder.connect().clientId().toString());
        assertEquals(List.of("connected sessionPresent=false"), listener.events);
    }

    @Test
    void shouldReportRefusedConnect() {
        engine = new Engine(connect, 16, queue, listener);
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        server.connack(false, ReasonCode.NOT_AUTHORIZED, null).deliver(engine, now);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x87 byServer=true", listener.last());
    }

    @Test
    void shouldCompleteQos0OnceWritten() {
        connected(null);
        long seq = publish("a/b", 0, "x");
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        assertEquals("a/b", server.decoder.publish().topic().toString());
        assertEquals(String.format("completed %d 0x00", seq), listener.last());
    }

    @Test
    void shouldRunQos1FlowWithPacketIdentifiersFromThePool() {
        connected(null);
        long first = publish("t", 1, "one");
        long second = publish("t", 1, "two");
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        assertEquals(1, server.decoder.publish().packetId());
        assertEquals(PacketType.PUBLISH, server.next());
        assertEquals(2, server.decoder.publish().packetId());
        assertEquals(2, engine.inflightCount());
        server.ack(PacketType.PUBACK, 2, ReasonCode.SUCCESS).ack(PacketType.PUBACK, 1, ReasonCode.NO_MATCHING_SUBSCRIBERS)
                .deliver(engine, now);
        assertEquals(List.of(String.format("completed %d 0x00", second), String.format("completed %d 0x10", first)),
                listener.events.subList(1, 3));
        assertEquals(0, engine.inflightCount());
    }

    @Test
    void shouldRunQos2FlowOutgoing() {
        connected(null);
        long seq = publish("t", 2, "exactly once");
        server.drain(engine, now);
        server.next();
        int id = server.decoder.publish().packetId();
        server.ack(PacketType.PUBREC, id, ReasonCode.SUCCESS).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.PUBREL, server.next());
        assertEquals(id, server.decoder.ack().packetId());
        server.ack(PacketType.PUBCOMP, id, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND).deliver(engine, now);
        assertEquals(String.format("completed %d 0x00", seq), listener.last(), "0x92 after PUBREC is no failure");
    }

    @Test
    void shouldCompleteQos2WithErrorWhenPubrecRefuses() {
        connected(null);
        long seq = publish("t", 2, "refused");
        server.drain(engine, now);
        server.next();
        server.ack(PacketType.PUBREC, server.decoder.publish().packetId(), ReasonCode.QUOTA_EXCEEDED).deliver(engine, now);
        assertEquals(String.format("completed %d 0x97", seq), listener.last());
        server.drain(engine, now);
        server.assertNothingSent();
    }

    @Test
    void shouldDeliverIncomingQos2ExactlyOnceAcrossRedelivery() {
        connected(null);
        engine.subscribe("t/#".getBytes(StandardCharsets.UTF_8), 2, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        server.publish("t/x", 2, false, 5, null, "hello").publish("t/x", 2, true, 5, null, "hello")
                .deliver(engine, now);
        assertEquals(1, listener.events.stream().filter(e -> e.startsWith("message")).count());
        server.drain(engine, now);
        assertEquals(PacketType.PUBREC, server.next());
        assertEquals(PacketType.PUBREC, server.next());
        server.ack(PacketType.PUBREL, 5, ReasonCode.SUCCESS).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.PUBCOMP, server.next());
        assertEquals(ReasonCode.SUCCESS, server.decoder.ack().reasonCode());
    }

    @Test
    void shouldAckIncomingQos1AfterDelivering() {
        connected(null);
        engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.publish("t", 1, false, 9, null, "p").deliver(engine, now);
        assertEquals("message t qos=1 p", listener.last());
        server.drain(engine, now);
        assertEquals(PacketType.PUBACK, server.next()); // acks go first: they free the server's window
        assertEquals(9, server.decoder.ack().packetId());
        assertEquals(PacketType.SUBSCRIBE, server.next());
    }

    @Test
    void shouldPauseReadingWhileTooManyAcksAreOwed() {
        connected(null, 65_535); // a Receive Maximum that lets the server send all 600 at once
        engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 1, (message) -> { });
        server.drain(engine, now);
        server.fromClient.clear(); // the SUBSCRIBE
        for (int i = 1; i <= 600; i++) {
            server.publish("t", 1, false, i, null, "");
        }
        server.toClient.flip();
        engine.onReceive(server.toClient, now);
        assertEquals(600 - AckQueue.BACKLOG_LIMIT, countPackets(server.toClient), "packets left unread");
        int acked = 0;
        while (server.toClient.hasRemaining() || acked < 600) {
            engine.onReceive(server.toClient, now);
            server.fromClient.clear();
            acked += engine.drainTo(server.fromClient, now) / 4; // a 5.0 PUBACK with reason 0x00 is 4 bytes
        }
        assertEquals(600, acked);
    }

    private static int countPackets(ByteBuffer buffer) {
        int count = 0;
        for (int i = buffer.position(); i < buffer.limit(); i += 2 + (buffer.get(i + 1) & 0xFF)) {
            count++;
        }
        return count;
    }

    @Test
    void shouldResolveIncomingTopicAliases() {
        connected(null);
        engine.subscribe("#".getBytes(StandardCharsets.UTF_8), 0, listener);
        MqttProperties alias = new MqttProperties().put(Property.TOPIC_ALIAS, 3);
        server.publish("tele/sensor-42/temp", 0, false, 0, alias, "21.5").publish("", 0, false, 0, alias, "21.6")
                .deliver(engine, now);
        assertEquals(List.of("message tele/sensor-42/temp qos=0 21.5", "message tele/sensor-42/temp qos=0 21.6"),
                listener.events.subList(1, 3));
    }

    @Test
    void shouldDisconnectWithTopicAliasInvalidForAliasAboveOurMaximum() {
        connected(null);
        server.publish("t", 0, false, 0, new MqttProperties().put(Property.TOPIC_ALIAS, 5), "x").deliver(engine, now);
        assertDisconnectedWith(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    void shouldDisconnectWithProtocolErrorForUnknownAlias() {
        connected(null);
        server.publish("", 0, false, 0, new MqttProperties().put(Property.TOPIC_ALIAS, 2), "x").deliver(engine, now);
        assertDisconnectedWith(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void shouldDisconnectWithMalformedPacketForQos3() {
        connected(null);
        server.raw(0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01).deliver(engine, now);
        assertDisconnectedWith(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void shouldDisconnectWithProtocolErrorForPacketsOnlyClientsSend() {
        connected(null);
        server.raw(0xC0, 0x00).deliver(engine, now); // PINGREQ from a server
        assertDisconnectedWith(ReasonCode.PROTOCOL_ERROR);
    }

    private void assertDisconnectedWith(int reasonCode) {
        assertEquals(Engine.DISCONNECTING, engine.state());
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(reasonCode, server.decoder.reason().reasonCode());
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(String.format("closed 0x%02X byServer=false", reasonCode), listener.last());
    }

    @Test
    void shouldPingWhenIdleAndCloseWhenPingrespNeverComes() {
        connected(null);
        assertEquals(now + 60 * SECOND, engine.onTick(now));
        now += 59 * SECOND;
        server.drain(engine, now);
        server.assertNothingSent();
        now += SECOND;
        server.drain(engine, now);
        assertEquals(PacketType.PINGREQ, server.next());
        assertEquals(now + 30 * SECOND, engine.onTick(now));
        now += 30 * SECOND;
        engine.onTick(now);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x8D byServer=false", listener.last());
    }

    @Test
    void shouldNotPingWhileTrafficFlowsAndAcceptPingresp() {
        connected(null);
        for (int i = 0; i < 10; i++) {
            now += 50 * SECOND;
            publish("t", 0, "tick");
            server.publish("in", 0, false, 0, null, "tock").deliver(engine, now); // traffic both ways
            server.drain(engine, now);
            assertEquals(PacketType.PUBLISH, server.next());
            server.assertNothingSent();
        }
        now += 60 * SECOND;
        server.drain(engine, now);
        assertEquals(PacketType.PINGREQ, server.next());
        server.raw(0xD0, 0x00).deliver(engine, now);
        now += 40 * SECOND;
        engine.onTick(now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldPingAndFindABlackHoleWhileOnlyPublishing() {
        connected(null);
        long lastReceived = now;
        long pingedAt = -1;
        while (engine.state() == Engine.CONNECTED) { // publishing every 5 s, nothing ever coming back
            now += 5 * SECOND;
            engine.onTick(now);
            publish("t", 0, "x");
            server.drain(engine, now);
            while (server.fromClient.position() > 0) {
                if (server.next() == PacketType.PINGREQ) {
                    pingedAt = now;
                }
            }
        }
        assertEquals(lastReceived + 30 * SECOND, pingedAt, "pinged though it kept sending, on the first publish "
                + "half an interval into the silence");
        assertEquals(lastReceived + 60 * SECOND, now, "dead once the ping's 30 s ran out: within 1.5 x keepalive of "
                + "the last packet received");
    }

    @Test
    void shouldObeyServerKeepAlive() {
        connected(new MqttProperties().put(Property.SERVER_KEEP_ALIVE, 10));
        assertEquals(now + 10 * SECOND, engine.onTick(now));
    }

    @Test
    void shouldKeepWithinServerReceiveMaximum() {
        connected(new MqttProperties().put(Property.RECEIVE_MAXIMUM, 2));
        for (int i = 0; i < 5; i++) {
            publish("t", 1, "m" + i);
        }
        server.drain(engine, now);
        server.next();
        server.next();
        server.assertNothingSent();
        assertEquals(2, engine.inflightCount());
        server.ack(PacketType.PUBACK, 1, ReasonCode.SUCCESS).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        assertEquals(3, server.decoder.publish().packetId());
        server.assertNothingSent();
    }

    @Test
    void shouldResendUnacknowledgedPublishesWithDupAndResumePubrelAfterReconnect() {
        connected(null);
        publish("t", 1, "q1");
        publish("t", 2, "q2");
        server.drain(engine, now);
        server.next();
        server.next();
        server.ack(PacketType.PUBREC, 2, ReasonCode.SUCCESS).deliver(engine, now);
        engine.onConnectionLost("socket reset");
        assertEquals("closed network byServer=false", listener.last());

        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.fromClient.clear(); // the PUBREL owed before the cut and the new CONNECT
        server.connack(true, ReasonCode.SUCCESS, null).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        assertTrue(server.decoder.publish().dup());
        assertEquals(1, server.decoder.publish().packetId());
        assertEquals(PacketType.PUBREL, server.next());
        assertEquals(2, server.decoder.ack().packetId());
        server.assertNothingSent();
    }

    @Test
    void shouldReportServerDisconnect() {
        connected(null);
        server.disconnect(ReasonCode.SERVER_SHUTTING_DOWN).deliver(engine, now);
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x8B byServer=true", listener.last());
    }

    @Test
    void shouldDisconnectPolitelyAfterQueuedPublishesAreAcknowledged() {
        connected(null);
        long seq = publish("t", 1, "last words");
        engine.disconnect(ReasonCode.NORMAL_DISCONNECTION, false);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next());
        server.assertNothingSent();
        assertEquals(Engine.CONNECTED, engine.state());
        server.ack(PacketType.PUBACK, server.decoder.publish().packetId(), ReasonCode.SUCCESS).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals(List.of(String.format("completed %d 0x00", seq), "closed 0x00 byServer=false"),
                listener.events.subList(1, 3));
    }

    @Test
    void shouldDisconnectAtOnceWhenAskedTo() {
        connected(null);
        publish("t", 1, "stays queued");
        engine.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, true);
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, server.decoder.reason().reasonCode());
        assertEquals(1, queue.size());
    }
}
