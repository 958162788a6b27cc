package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What Session Present in CONNACK makes the client do, on a virtual clock: a CONNACK claiming a session in reply
 * to Clean Start is a protocol error that closes the connection (MQTT-3.2.2-4), never a reason to skip
 * subscribing; and whenever the server kept no session, every subscription the client believes in is subscribed
 * again and stays owed until this connection's SUBACK.
 */
class EngineSessionPresentTest {
    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final long now = 5_000_000_000L;

    private static Engine engine(ProtocolVersion version, boolean cleanStart, EngineListener listener,
            MemoryQueue queue) {
        ConnectEncoder connect = new ConnectEncoder().version(version).clientId("c1").keepAliveSeconds(60)
                .cleanStart(cleanStart);
        return new Engine(connect, 16, queue, listener);
    }

    private static void open(Engine engine, ScriptedServer server, long now) {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
    }

    /** Connects, subscribes "cmd/#" and has the SUBACK arrive: the client believes in the subscription. */
    private void subscribed(Engine engine, ScriptedServer server) {
        open(engine, server, now);
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        engine.subscribe("cmd/#".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        int packetId = server.decoder.subscribe().packetId();
        server.raw(0x90, 0x04, 0x00, packetId, 0x00, 0x01).deliver(engine, now); // SUBACK: granted QoS 1
        assertEquals(String.format("suback %d 0x01", packetId), listener.last());
    }

    @Test
    void shouldDisconnectWithProtocolErrorWhenACleanStartIsAnsweredWithSessionPresent() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_5);
        Engine engine = engine(ProtocolVersion.MQTT_5, true, listener, queue);
        subscribed(engine, server);
        engine.onConnectionLost("cut");

        open(engine, server, now); // an automatic reconnect, with Clean Start 1 again
        server.connack(true, ReasonCode.SUCCESS, null).deliver(engine, now); // MQTT-3.2.2-2 broken
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(ReasonCode.PROTOCOL_ERROR, server.decoder.reason().reasonCode());
        server.assertNothingSent();
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x82 byServer=false", listener.last());
        assertFalse(listener.events.contains("connected sessionPresent=true"), listener.events.toString());
        assertEquals("protocol error from server: " + ReasonCode.describe(ReasonCode.PROTOCOL_ERROR)
                + ": CONNACK with Session Present 1 in reply to Clean Start 1 (MQTT-3.2.2-4)",
                listener.closeDetails.get(listener.closeDetails.size() - 1));

        server.toClient.clear(); // the refused CONNACK died with its connection
        open(engine, server, now); // the next attempt, answered as the spec asks
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next(), "a clean session holds nothing: subscribe again");
        assertEquals("cmd/#", server.decoder.subscribe().filter(0).toString());
    }

    @Test
    void shouldCloseA311ConnectionWhenACleanSessionIsAnsweredWithSessionPresent() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_3_1_1);
        Engine engine = engine(ProtocolVersion.MQTT_3_1_1, true, listener, queue);
        open(engine, server, now);
        server.connack(true, 0, null).deliver(engine, now);
        server.drain(engine, now);
        server.assertNothingSent(); // 3.1.1 has no DISCONNECT for errors: the connection is closed
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x82 byServer=false", listener.last());
    }

    @Test
    void shouldSubscribeAgainAfterASessionPresentThatFollowsAConnectionLostBeforeItsSuback() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_5);
        Engine engine = engine(ProtocolVersion.MQTT_5, false, listener, queue);
        subscribed(engine, server);
        engine.onConnectionLost("cut");

        open(engine, server, now);
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now); // the server lost the session
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        engine.onConnectionLost("cut before this SUBSCRIBE was answered");

        // the server began a new session with that CONNECT, but never took the SUBSCRIBE: it holds nothing
        open(engine, server, now);
        server.connack(true, ReasonCode.SUCCESS, null).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next(), "not acknowledged since the session was lost");
        assertEquals("cmd/#", server.decoder.subscribe().filter(0).toString());
    }
}
