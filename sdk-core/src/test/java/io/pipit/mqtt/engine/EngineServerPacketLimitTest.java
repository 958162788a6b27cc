package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A publish over the server's Maximum Packet Size, on a virtual clock: it never leaves (spec 3.1.2.11.4), completes
 * with 0x95, and each such refusal is logged once at WARN with the packet's size and the server's limit; publishes
 * that fit go out and log nothing.
 */
class EngineServerPacketLimitTest {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final int SERVER_LIMIT = 128;

    private final RecordingListener listener = new RecordingListener();
    private final MemoryQueue queue = new MemoryQueue(64 * 1024, 1000);
    private final ScriptedServer server = new ScriptedServer(V5);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger outboundLogger = (Logger) LoggerFactory.getLogger(Outbound.class);
    private final long now = 1_000_000_000_000L;
    private Engine engine;

    @BeforeEach
    void connect() {
        log.start();
        outboundLogger.addAppender(log);
        engine = new Engine(new ConnectEncoder().version(V5).clientId("c1").keepAliveSeconds(60), 16, queue,
                listener);
        engine.onConnectionOpened(now);
        server.drain(engine, now);
        assertEquals(PacketType.CONNECT, server.next());
        server.connack(false, ReasonCode.SUCCESS, new MqttProperties().put(Property.MAXIMUM_PACKET_SIZE,
                SERVER_LIMIT)).deliver(engine, now);
        assertEquals(Engine.CONNECTED, engine.state());
    }

    @AfterEach
    void detach() {
        outboundLogger.detachAppender(log);
    }

    /** Queues a QoS 0 PUBLISH on topic "t" of {@code packetLength} bytes (from 6 to 130). */
    private long publish(int packetLength) {
        int payload = packetLength - 6; // fixed header 2 (Remaining Length under 128), topic 2 + 1, properties 1
        ByteBuffer packet = ByteBuffer.allocate(256);
        PublishEncoder.encode(packet, V5, Topic.of("t"), 0, false, false, 0, null, new byte[payload], 0, payload);
        assertEquals(packetLength, packet.position());
        packet.flip();
        return queue.offer(packet);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    @Test
    void shouldLogEachPublishRefusedForTheServersMaximumPacketSize() {
        long tooLarge = publish(SERVER_LIMIT + 1);
        long fits = publish(SERVER_LIMIT);
        long againTooLarge = publish(SERVER_LIMIT + 1);
        server.drain(engine, now);
        assertEquals(PacketType.PUBLISH, server.next(), "the one that fits goes out");
        assertEquals(SERVER_LIMIT, server.decoder.publish().payloadLength() + 6);
        server.assertNothingSent();
        assertEquals(List.of(String.format("completed %d 0x95", tooLarge), String.format("completed %d 0x00", fits),
                String.format("completed %d 0x95", againTooLarge)), listener.events.subList(1, 4));
        assertEquals(List.of(
                "publish " + tooLarge + " not sent: its PUBLISH of 129 bytes is over the server's Maximum Packet Size "
                        + "of 128 bytes; completed with 0x95 Packet too large",
                "publish " + againTooLarge + " not sent: its PUBLISH of 129 bytes is over the server's Maximum Packet "
                        + "Size of 128 bytes; completed with 0x95 Packet too large"), warnings(), "once each");
    }
}
