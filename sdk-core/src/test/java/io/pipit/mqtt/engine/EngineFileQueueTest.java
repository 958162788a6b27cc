package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.FileQueue;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process restart in the middle of QoS 2 flows, on a virtual clock: a new engine over the reopened file
 * queue resends the PUBLISH with its old Packet Identifier and DUP, or the PUBREL after PUBREC, before any
 * new message.
 */
class EngineFileQueueTest {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private final long now = 5_000_000_000L;
    @TempDir
    File dir;

    private static Engine engine(FileQueue queue, RecordingListener listener) {
        ConnectEncoder connect = new ConnectEncoder().version(V5).clientId("c1").keepAliveSeconds(60)
                .cleanStart(false);
        return new Engine(connect, 16, queue, listener);
    }

    private void connect(Engine engine, ScriptedServer server) {
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(true, ReasonCode.SUCCESS, null).deliver(engine, now);
    }

    private static void publish(FileQueue queue, int qos, String payload) {
        ByteBuffer packet = ByteBuffer.allocate(256);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        PublishEncoder.encode(packet, V5, Topic.of("t"), qos, false, false, 1, null, bytes, 0, bytes.length);
        packet.flip();
        queue.offer(packet);
    }

    private static String payload(ScriptedServer server) {
        ByteBuffer b = server.decoder.publish().buffer().duplicate();
        b.limit(server.decoder.publish().payloadOffset() + server.decoder.publish().payloadLength())
                .position(server.decoder.publish().payloadOffset());
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void shouldResumeQos2FlowsAfterARestartWithTheSamePacketIdentifiers() throws IOException {
        int firstId;
        int secondId;
        try (FileQueue queue = FileQueue.open(dir)) {
            RecordingListener listener = new RecordingListener();
            Engine engine = engine(queue, listener);
            ScriptedServer server = new ScriptedServer(V5);
            connect(engine, server);
            publish(queue, 1, "first"); // completed at once: the QoS 2 ones below get identifiers beyond 1
            server.drain(engine, now);
            assertEquals(PacketType.PUBLISH, server.next());
            server.ack(PacketType.PUBACK, server.decoder.publish().packetId(), ReasonCode.SUCCESS)
                    .deliver(engine, now);
            publish(queue, 2, "a");
            publish(queue, 2, "b");
            server.drain(engine, now);
            assertEquals(PacketType.PUBLISH, server.next());
            firstId = server.decoder.publish().packetId();
            assertTrue(firstId > 1, "not the placeholder the queue stores");
            assertEquals(PacketType.PUBLISH, server.next());
            secondId = server.decoder.publish().packetId();
            server.ack(PacketType.PUBREC, secondId, ReasonCode.SUCCESS).deliver(engine, now);
            server.drain(engine, now);
            assertEquals(PacketType.PUBREL, server.next());
            publish(queue, 1, "c"); // queued, never sent: the process dies here
        }
        try (FileQueue queue = FileQueue.open(dir)) {
            assertEquals(2, queue.recoveryReport().inflight());
            RecordingListener listener = new RecordingListener();
            Engine engine = engine(queue, listener);
            ScriptedServer server = new ScriptedServer(V5);
            connect(engine, server);
            server.drain(engine, now);
            assertEquals(PacketType.PUBLISH, server.next());
            assertEquals(firstId, server.decoder.publish().packetId());
            assertTrue(server.decoder.publish().dup(), "DUP: the broker may have it already");
            assertEquals("a", payload(server));
            assertEquals(PacketType.PUBREL, server.next());
            assertEquals(secondId, server.decoder.ack().packetId());
            assertEquals(PacketType.PUBLISH, server.next());
            assertEquals("c", payload(server));
            int thirdId = server.decoder.publish().packetId();
            assertTrue(thirdId != firstId && thirdId != secondId, "recovered identifiers stay taken");
            // mosquitto resends PUBREC for a released message when the session resumes: answered, not an error
            server.ack(PacketType.PUBREC, secondId, ReasonCode.SUCCESS).deliver(engine, now);
            server.drain(engine, now);
            assertEquals(PacketType.PUBREL, server.next());
            assertEquals(secondId, server.decoder.ack().packetId());
            assertEquals(Engine.CONNECTED, engine.state());
            server.ack(PacketType.PUBCOMP, secondId, ReasonCode.SUCCESS).deliver(engine, now);
            server.ack(PacketType.PUBREC, firstId, ReasonCode.SUCCESS).deliver(engine, now);
            server.drain(engine, now);
            server.ack(PacketType.PUBCOMP, firstId, ReasonCode.SUCCESS).deliver(engine, now);
            server.ack(PacketType.PUBACK, thirdId, ReasonCode.SUCCESS).deliver(engine, now);
            assertEquals(0, engine.inflightCount());
        }
        try (FileQueue queue = FileQueue.open(dir)) {
            assertEquals(0, queue.recoveryReport().messages(), "all completed: nothing left to resend");
            assertEquals(4, queue.recoveryReport().nextSequence());
        }
    }
}
