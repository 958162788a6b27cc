package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.ConnackEncoder;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketDecoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.ReasonEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Test support: the server side of an engine test. Encodes what the server says into the engine's receive
 * buffer, and decodes what the engine drained, one packet at a time, with the real codec.
 */
final class ScriptedServer {
    final ProtocolVersion version;
    final ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
    final ByteBuffer fromClient = ByteBuffer.allocate(64 * 1024);
    final PacketDecoder decoder;
    /** The packet last returned by {@link #next()}, kept apart so the decoder's views stay valid. */
    private final ByteBuffer current = ByteBuffer.allocate(64 * 1024);

    ScriptedServer(ProtocolVersion version) {
        this.version = version;
        this.decoder = new PacketDecoder(version, FixedHeader.MAX_PACKET_SIZE);
    }

    /** Moves everything the engine has to send into {@link #fromClient}; @return bytes drained */
    int drain(Engine engine, long nowNs) {
        return engine.drainTo(fromClient, nowNs);
    }

    /**
     * Decodes the next packet the client sent.
     *
     * @return its type, asserting there was one
     */
    int next() {
        fromClient.flip();
        long header = FixedHeader.read(fromClient, 0, fromClient.limit(), FixedHeader.MAX_PACKET_SIZE);
        assertTrue(header != FixedHeader.INCOMPLETE, "the client sent no packet");
        int length = FixedHeader.headerLength(header) + FixedHeader.remainingLength(header);
        assertTrue(length <= fromClient.limit(), "the client sent only part of a packet");
        current.clear();
        current.put(fromClient.duplicate().limit(length));
        fromClient.position(length);
        fromClient.compact();
        assertEquals(length, decoder.decode(current, 0, length));
        return decoder.type();
    }

    /** Asserts the client has sent nothing more. */
    void assertNothingSent() {
        assertEquals(0, fromClient.position(), "unexpected bytes from the client");
    }

    /** Hands everything said so far to the engine. */
    void deliver(Engine engine, long nowNs) {
        toClient.flip();
        engine.onReceive(toClient, nowNs);
        toClient.compact();
    }

    ScriptedServer connack(boolean sessionPresent, int reasonCode, MqttProperties properties) {
        ConnackEncoder.encode(toClient, version, sessionPresent, reasonCode, properties);
        return this;
    }

    ScriptedServer ack(int type, int packetId, int reasonCode) {
        AckEncoder.encode(toClient, type, version, packetId, reasonCode, null);
        return this;
    }

    ScriptedServer publish(String topic, int qos, boolean dup, int packetId, MqttProperties properties,
            String payload) {
        PublishEncoder.encode(toClient, version, topic.getBytes(StandardCharsets.UTF_8), qos, dup, false, packetId,
                properties, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    ScriptedServer disconnect(int reasonCode) {
        ReasonEncoder.encode(toClient, PacketType.DISCONNECT, version, reasonCode, null);
        return this;
    }

    ScriptedServer raw(int... bytes) {
        for (int b : bytes) {
            toClient.put((byte) b);
        }
        return this;
    }
}
