package io.pipit.bench.engine;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.ConnackEncoder;
import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.ConnectEncoder;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.SubackEncoder;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.engine.Engine;
import io.pipit.mqtt.engine.EngineListener;
import io.pipit.mqtt.queue.MemoryQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sans-I/O {@link Engine} on its own, one message per operation: no socket, no driver thread, only direct
 * {@code ByteBuffer}s in memory standing in for the transport, and a fixed virtual clock (no keepalive deadline
 * ever passes). Each operation makes the calls a driver cycle makes ({@code onReceive}, {@code onTick},
 * {@code drainTo}) and publishes the way {@code MqttClient.publish} does: {@code PublishEncoder.encode} into a
 * scratch buffer with a placeholder Packet Identifier, then {@code MemoryQueue.offer}; the engine stamps the real
 * identifier when it drains. The server's answers are packets encoded once in {@code @Setup} with sdk-core's
 * encoders; only their Packet Identifier is patched per operation.
 *
 * <ul>
 *   <li>{@code publishQos0}: publish, drain the PUBLISH.</li>
 *   <li>{@code publishQos1}: publish, drain the PUBLISH, feed its PUBACK (the window never fills).</li>
 *   <li>{@code publishQos2}: publish, drain the PUBLISH, feed PUBREC, drain PUBREL, feed PUBCOMP.</li>
 *   <li>{@code receiveQos0}: feed an inbound PUBLISH to a subscription's listener (which reads its length).</li>
 *   <li>{@code receiveQos1}: the same at QoS 1 with a new Packet Identifier each time, then drain the PUBACK.</li>
 * </ul>
 *
 * <p>{@code @Setup} connects the engine (CONNECT drained, CONNACK fed, SUBSCRIBE drained, SUBACK fed), then runs
 * each of the five operations once and fails the trial unless each wrote the expected packet and the listener saw
 * the completion or the message. Run with {@code -prof gc}: the contract is 0 B/op (JMH omits
 * {@code gc.alloc.rate.norm} then). One thread; not {@code final}: JMH subclasses {@code @State} classes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    private static final ProtocolVersion V5 = ProtocolVersion.MQTT_5;
    private static final String TOPIC = "tele/sensor-42/temp";
    /** The virtual clock: fixed, so no keepalive or retry deadline comes due while measuring. */
    private static final long NOW_NS = 1_000_000_000L;
    /** The client builder's default window; the window never fills here, each operation completes its flow. */
    private static final int MAX_INFLIGHT = 32;
    /** Index of the Packet Identifier in PUBACK, PUBREC, PUBREL and PUBCOMP (1-byte Remaining Length). */
    private static final int ACK_PACKET_ID_OFFSET = 2;

    /** Payload bytes per message. */
    @Param({"64", "1024"})
    public int payloadSize;

    private final Topic topic = Topic.of(TOPIC);
    private final Counters counters = new Counters();
    /** {@code MqttClient}'s encode buffer. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);
    /** What the engine drains for the transport to write. */
    private final ByteBuffer tx = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer puback = ByteBuffer.allocateDirect(16);
    private final ByteBuffer pubrec = ByteBuffer.allocateDirect(16);
    private final ByteBuffer pubcomp = ByteBuffer.allocateDirect(16);
    private final ByteBuffer inboundQos0 = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer inboundQos1 = ByteBuffer.allocateDirect(4096);
    private byte[] payload;
    private MemoryQueue queue;
    private Engine engine;
    /** Indexed by QoS: the encoded length of our PUBLISH, and where its Packet Identifier sits. */
    private final int[] publishLength = new int[3];
    private final int[] packetIdOffset = new int[3];
    private int inboundPacketIdOffset;
    private int inboundPacketId;

    @Setup
    public void connect() {
        payload = new byte[payloadSize];
        for (int qos = 0; qos <= 2; qos++) {
            publishLength[qos] = PublishEncoder.encodedLength(V5, topic.byteLength(), qos, null, payloadSize);
            packetIdOffset[qos] = publishLength[qos] - payloadSize - 3; // before the 1-byte empty property length
        }
        encodeAck(puback, PacketType.PUBACK);
        encodeAck(pubrec, PacketType.PUBREC);
        encodeAck(pubcomp, PacketType.PUBCOMP);
        encodeInbound(inboundQos0, 0);
        encodeInbound(inboundQos1, 1);
        inboundPacketIdOffset = publishLength[1] - payloadSize - 3;

        queue = new MemoryQueue(4 * 1024 * 1024, 100_000); // the client builder's default queue
        engine = new Engine(new ConnectEncoder().version(V5).clientId("engine-bench").keepAliveSeconds(60)
                .cleanStart(true), MAX_INFLIGHT, queue, counters);
        handshake();
        verifyEachOperation();
    }

    /** CONNECT out, CONNACK in, SUBSCRIBE (QoS 1) out, SUBACK in: the engine is CONNECTED and routes TOPIC. */
    private void handshake() {
        engine.onConnectionOpened(NOW_NS);
        expect(drain() > 0 && packetType() == PacketType.CONNECT, "the engine did not write CONNECT");
        ByteBuffer in = ByteBuffer.allocateDirect(256);
        ConnackEncoder.encode(in, V5, false, ReasonCode.SUCCESS, null);
        feed(in.flip());
        expect(engine.state() == Engine.CONNECTED, "CONNACK did not connect the engine: state " + engine.state()
                + (counters.closedDetail == null ? "" : ", closed: " + counters.closedDetail));
        queue.connected(true); // as MqttClient does on connect

        engine.subscribe(TOPIC.getBytes(StandardCharsets.UTF_8), 1, counters);
        expect(drain() > 0 && packetType() == PacketType.SUBSCRIBE, "the engine did not write SUBSCRIBE");
        int subscribeId = tx.getShort(ACK_PACKET_ID_OFFSET) & 0xFFFF;
        SubackEncoder.encode(in.clear(), PacketType.SUBACK, V5, subscribeId, null, new byte[] {1}, 0, 1);
        feed(in.flip());
        expect(counters.subacks == 1, "the engine did not take the SUBACK for Packet Identifier " + subscribeId);
    }

    /** Runs each operation once and fails the trial unless it did what it is named after. */
    private void verifyEachOperation() {
        long completed = counters.completed;
        expect(publishQos0() == publishLength[0] && packetType() == PacketType.PUBLISH
                && counters.completed == completed + 1, "publishQos0 did not write one PUBLISH and complete it");
        expect(publishQos1() == publishLength[1] && packetType() == PacketType.PUBLISH
                && counters.completed == completed + 2 && counters.lastReasonCode == ReasonCode.SUCCESS
                && engine.inflightCount() == 0, "publishQos1 did not write one PUBLISH and complete it on PUBACK");
        expect(publishQos2() == publishLength[2] + 4 && packetType() == PacketType.PUBREL
                && counters.completed == completed + 3 && counters.lastReasonCode == ReasonCode.SUCCESS
                && engine.inflightCount() == 0, "publishQos2 did not write PUBLISH and PUBREL and complete on PUBCOMP");
        expect(receiveQos0() == 0 && counters.messages == 1 && counters.payloadBytes == payloadSize,
                "receiveQos0 did not deliver one message of " + payloadSize + " bytes");
        expect(receiveQos1() == 4 && packetType() == PacketType.PUBACK && counters.messages == 2
                && (tx.getShort(ACK_PACKET_ID_OFFSET) & 0xFFFF) == inboundPacketId,
                "receiveQos1 did not deliver one message and write its PUBACK");
        expect(counters.closedDetail == null, "the engine closed: " + counters.closedDetail);
    }

    @Benchmark
    public int publishQos0() {
        offer(0);
        return drain();
    }

    @Benchmark
    public int publishQos1() {
        offer(1);
        int written = drain();
        feed(ack(puback, sentPacketId(1)));
        return written;
    }

    @Benchmark
    public int publishQos2() {
        offer(2);
        int written = drain();
        int packetId = sentPacketId(2);
        feed(ack(pubrec, packetId));
        written += drain(); // PUBREL
        feed(ack(pubcomp, packetId));
        return written;
    }

    @Benchmark
    public int receiveQos0() {
        feed(inboundQos0.rewind());
        return drain(); // nothing is owed at QoS 0: a driver cycle drains anyway
    }

    @Benchmark
    public int receiveQos1() {
        inboundPacketId = inboundPacketId % 65_535 + 1;
        inboundQos1.putShort(inboundPacketIdOffset, (short) inboundPacketId);
        feed(inboundQos1.rewind());
        return drain(); // the PUBACK
    }

    /** What {@code MqttClient.publish} does: encode with a placeholder Packet Identifier, offer to the queue. */
    private void offer(int qos) {
        scratch.clear();
        PublishEncoder.encode(scratch, V5, topic, qos, false, false, 1, null, payload, 0, payloadSize);
        if (queue.offer(scratch.flip()) < 0) {
            throw new IllegalStateException("the queue refused a publish: the engine is not draining it");
        }
    }

    private int drain() {
        engine.onTick(NOW_NS);
        tx.clear();
        return engine.drainTo(tx, NOW_NS);
    }

    private void feed(ByteBuffer in) {
        engine.onReceive(in, NOW_NS);
    }

    /** @return the Packet Identifier the engine stamped on the PUBLISH at the start of {@code tx} */
    private int sentPacketId(int qos) {
        return tx.getShort(packetIdOffset[qos]) & 0xFFFF;
    }

    private static ByteBuffer ack(ByteBuffer packet, int packetId) {
        packet.putShort(ACK_PACKET_ID_OFFSET, (short) packetId);
        return packet.rewind();
    }

    private int packetType() {
        return (tx.get(0) & 0xFF) >>> 4;
    }

    private static void encodeAck(ByteBuffer dst, int type) {
        AckEncoder.encode(dst, type, V5, 1, ReasonCode.SUCCESS, null);
        dst.flip();
    }

    private void encodeInbound(ByteBuffer dst, int qos) {
        PublishEncoder.encode(dst, V5, topic, qos, false, false, 1, null, payload, 0, payloadSize);
        dst.flip();
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    /** The engine's and the subscription's listener: counts, allocation-free; engine thread only. */
    private static final class Counters implements EngineListener, MessageListener {
        long completed;
        int lastReasonCode = -1;
        int subacks;
        long messages;
        long payloadBytes;
        String closedDetail;

        @Override
        public void onConnected(ConnackView connack) {
            // the state check after CONNACK is what the benchmark relies on
        }

        @Override
        public void onConnectionClosed(int reasonCode, boolean byServer, String detail) {
            closedDetail = "reason code " + reasonCode + (byServer ? " by the server: " : ": ") + detail;
        }

        @Override
        public void onPublishCompleted(long sequence, int reasonCode) {
            completed++;
            lastReasonCode = reasonCode;
        }

        @Override
        public void onSubscriptionAck(int packetId, SubackView ack) {
            subacks++;
        }

        @Override
        public void onMessage(Message message) {
            messages++;
            payloadBytes += message.payloadLength();
        }
    }
}
