package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our Receive Maximum held against the server, on a virtual clock: QoS 1 and 2 messages count from their PUBLISH
 * until the PUBACK or PUBCOMP we send has been written; one more than the maximum is DISCONNECT 0x93, whatever
 * mix of QoS 1 and 2 it is; flows of an earlier connection do not count on the next; MQTT 3.1.1 sets no limit.
 */
class EngineReceiveMaximumTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int RECEIVE_MAXIMUM = 2;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final long now = 1_000 * SECOND;
    private ScriptedServer server;
    private Engine engine;

    private void connect(ProtocolVersion version) {
        ConnectEncoder connect = new ConnectEncoder().version(version).clientId("c1").keepAliveSeconds(60)
                .cleanStart(false);
        if (version.isMqtt5()) {
            connect.properties().put(Property.RECEIVE_MAXIMUM, RECEIVE_MAXIMUM);
        }
        server = new ScriptedServer(version);
        engine = new Engine(connect, 16, queue, listener);
        reconnect();
        int packetId = engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        server.raw(0x90, version.isMqtt5() ? 4 : 3, packetId >> 8, packetId & 0xFF);
        if (version.isMqtt5()) {
            server.raw(0x00); // no properties
        }
        server.raw(0x01).deliver(engine, now); // SUBACK: granted QoS 1
    }

    private void reconnect() {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(true, ReasonCode.SUCCESS, null).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    /** Drains what the client sends and @return the packet types, in order. */
    private List<Integer> sent() {
        server.drain(engine, now);
        List<Integer> types = new java.util.ArrayList<>();
        while (server.fromClient.position() > 0) {
            types.add(server.next());
        }
        return types;
    }

    private void assertExceeded() {
        assertEquals(Engine.DISCONNECTING, engine.state());
        List<Integer> types = sent();
        assertEquals(PacketType.DISCONNECT, (int) types.get(types.size() - 1), types.toString());
        assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, server.decoder.reason().reasonCode());
        assertEquals("closed 0x93 byServer=false", listener.last());
    }

    @Test
    void shouldDisconnectWhenMoreQos1MessagesArriveThanOurReceiveMaximumBeforeAnyPuback() {
        connect(ProtocolVersion.MQTT_5);
        server.publish("t", 1, false, 1, null, "a").publish("t", 1, false, 2, null, "b")
                .publish("t", 1, false, 3, null, "c").deliver(engine, now); // in one read: no PUBACK left yet
        assertExceeded();
    }

    @Test
    void shouldLetAsManyMoreArriveAsPubacksWereWritten() {
        connect(ProtocolVersion.MQTT_5);
        for (int id = 1; id <= 10; id += 2) {
            server.publish("t", 1, false, id, null, "a").publish("t", 1, false, id + 1, null, "b").deliver(engine, now);
            assertEquals(List.of(PacketType.PUBACK, PacketType.PUBACK), sent());
        }
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldCountAQos2MessageUntilItsPubcompIsWritten() {
        connect(ProtocolVersion.MQTT_5);
        server.publish("t", 2, false, 1, null, "a").publish("t", 1, false, 2, null, "b").deliver(engine, now);
        assertEquals(List.of(PacketType.PUBREC, PacketType.PUBACK), sent());
        server.publish("t", 1, false, 3, null, "c").deliver(engine, now); // the QoS 2 one still waits for PUBREL
        assertEquals(List.of(PacketType.PUBACK), sent());
        // the PUBREL is read with them, but its PUBCOMP not yet written: with "d", two are unacknowledged
        server.ack(PacketType.PUBREL, 1, ReasonCode.SUCCESS).publish("t", 1, false, 4, null, "d")
                .publish("t", 1, false, 5, null, "e").deliver(engine, now);
        assertExceeded();
    }

    @Test
    void shouldFreeTheQos2MessageOnceItsPubcompIsWritten() {
        connect(ProtocolVersion.MQTT_5);
        server.publish("t", 2, false, 1, null, "a").deliver(engine, now);
        assertEquals(List.of(PacketType.PUBREC), sent());
        server.ack(PacketType.PUBREL, 1, ReasonCode.SUCCESS).deliver(engine, now);
        assertEquals(List.of(PacketType.PUBCOMP), sent());
        server.publish("t", 2, false, 2, null, "b").publish("t", 2, false, 3, null, "c").deliver(engine, now);
        assertEquals(List.of(PacketType.PUBREC, PacketType.PUBREC), sent());
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldStartEachConnectionWithAFullQuota() {
        connect(ProtocolVersion.MQTT_5);
        server.publish("t", 2, false, 1, null, "a").publish("t", 2, false, 2, null, "b").deliver(engine, now);
        assertEquals(List.of(PacketType.PUBREC, PacketType.PUBREC), sent());
        engine.onConnectionLost("cut before PUBREL");
        reconnect(); // the session keeps both awaiting PUBREL, but spec 4.9: the quota starts again at the maximum
        server.publish("t", 2, false, 3, null, "c").publish("t", 2, false, 4, null, "d").deliver(engine, now);
        assertEquals(List.of(PacketType.PUBREC, PacketType.PUBREC), sent());
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @Test
    void shouldSetNoLimitInMqtt311() {
        connect(ProtocolVersion.MQTT_3_1_1);
        for (int id = 1; id <= 5; id++) {
            server.publish("t", 1, false, id, null, "m" + id);
        }
        server.deliver(engine, now);
        assertEquals(5, sent().size());
        assertEquals(Engine.CONNECTED, engine.state());
        assertTrue(listener.events.stream().noneMatch(e -> e.startsWith("closed")), listener.events.toString());
    }
}
