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
import org.junit.jupiter.api.Test;

/**
 * A packet over the client's Maximum Packet Size, on a virtual clock: the connection ends as soon as its fixed
 * header arrives, with DISCONNECT 0x95 in MQTT 5 and a plain close in 3.1.1 (which cannot tell the server the
 * limit, so its server did nothing wrong), the acks owed going out first; never a stall until a false keepalive
 * timeout.
 */
class EnginePacketTooLargeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int LIMIT = 4096;
    /** A PUBLISH header announcing 1 MiB (1,048,576 bytes of Remaining Length): 0x30, then 80 80 40. */
    private static final int[] ONE_MIB_PUBLISH_HEADER = {0x32, 0x80, 0x80, 0x40, 0x00, 0x01, 't', 0x00, 0x07};

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private long now = 1_000 * SECOND;

    private Engine connected(ProtocolVersion version, ScriptedServer server) {
        ConnectEncoder connect = new ConnectEncoder().version(version).clientId("c1").keepAliveSeconds(60);
        if (version.isMqtt5()) {
            connect.properties().put(Property.MAXIMUM_PACKET_SIZE, LIMIT);
        }
        Engine engine = new Engine(connect, 16, queue, listener).maximumPacketSize(LIMIT); // the receive buffer
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(false, ReasonCode.SUCCESS, null).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
        return engine;
    }

    private String lastDetail() {
        return listener.closeDetails.isEmpty() ? "(none)" : listener.closeDetails.get(listener.closeDetails.size() - 1);
    }

    @Test
    void shouldCloseA311ConnectionAtOnceWithoutDisconnectAfterAckingWhatCameBefore() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_3_1_1);
        Engine engine = connected(ProtocolVersion.MQTT_3_1_1, server);
        engine.subscribe("t".getBytes(StandardCharsets.UTF_8), 1, listener);
        server.drain(engine, now);
        assertEquals(PacketType.SUBSCRIBE, server.next());
        server.publish("t", 1, false, 6, null, "small, before it").raw(ONE_MIB_PUBLISH_HEADER).deliver(engine, now);
        assertEquals(Engine.DISCONNECTING, engine.state(), "ended on the header alone, not waiting for the body");

        server.drain(engine, now);
        assertEquals(PacketType.PUBACK, server.next(), "the message before it is acknowledged, so not resent");
        assertEquals(6, server.decoder.ack().packetId());
        server.assertNothingSent(); // no DISCONNECT: in 3.1.1 it would mean a normal end and discard the Will
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x95 byServer=false", listener.last());
        assertEquals("the server sent a PUBLISH of 1048580 bytes, over this client's Maximum Packet Size of 4096 "
                + "bytes; raise it with MqttClientBuilder.maximumPacketSize(int) to receive it", lastDetail());
    }

    @Test
    void shouldNeverStallUntilAKeepAliveTimeout() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_3_1_1);
        Engine engine = connected(ProtocolVersion.MQTT_3_1_1, server);
        server.raw(ONE_MIB_PUBLISH_HEADER).deliver(engine, now);
        now += 90 * SECOND; // 1.5 × keepalive later, when a stalled connection would be declared dead
        engine.onTick(now);
        server.drain(engine, now);
        assertEquals(1, listener.closeDetails.size(), listener.events.toString());
        assertEquals("closed 0x95 byServer=false", listener.last());
    }

    @Test
    void shouldSendDisconnectPacketTooLargeOn5() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_5);
        Engine engine = connected(ProtocolVersion.MQTT_5, server);
        server.raw(ONE_MIB_PUBLISH_HEADER).deliver(engine, now);
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals(ReasonCode.PACKET_TOO_LARGE, server.decoder.reason().reasonCode());
        assertEquals(Engine.CLOSED, engine.state());
        assertEquals("closed 0x95 byServer=false", listener.last());
        assertTrue(lastDetail().contains("PUBLISH of 1048580 bytes, over this client's Maximum Packet Size of "
                + "4096 bytes; raise it with MqttClientBuilder.maximumPacketSize(int)"), lastDetail());
    }

    @Test
    void shouldTakeTheSmallerOfTheAnnouncedLimitAndTheBuffer() {
        ScriptedServer server = new ScriptedServer(ProtocolVersion.MQTT_5);
        ConnectEncoder connect = new ConnectEncoder().version(ProtocolVersion.MQTT_5).clientId("c1");
        connect.properties().put(Property.MAXIMUM_PACKET_SIZE, 2048);
        Engine engine = new Engine(connect, 16, queue, listener).maximumPacketSize(LIMIT);
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        server.next();
        server.connack(false, ReasonCode.SUCCESS, null).raw(0x30, 0x82, 0x10).deliver(engine, now); // 2,053 bytes
        server.drain(engine, now);
        assertEquals(PacketType.DISCONNECT, server.next());
        assertEquals("[connected sessionPresent=false, closed 0x95 byServer=false]", listener.events.toString());
        assertTrue(lastDetail().contains("PUBLISH of 2053 bytes, over this client's Maximum Packet Size of 2048"),
                lastDetail());
    }
}
