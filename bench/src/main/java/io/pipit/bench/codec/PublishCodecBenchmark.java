package io.pipit.bench.codec;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.codec.PublishView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * MQTT 5.0 PUBLISH through the codec alone: {@link PublishEncoder} into a reused buffer, {@link PublishView}
 * over a received packet, and both in turn. One benchmark thread; each thread gets its own state.
 *
 * <p>The codec's contract is 0 bytes allocated per operation: run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} (JMH omits that line when nothing was allocated). Buffers are direct, as the
 * NIO transports' are. Not {@code final}: JMH generates subclasses of a {@code @State} class, and
 * {@code @Param} fields must stay mutable for JMH to set them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class PublishCodecBenchmark {
    private static final ProtocolVersion VERSION = ProtocolVersion.MQTT_5;
    private static final int PACKET_ID = 0x1234;
    private static final int BUFFER_LENGTH = 4096;

    /** Payload bytes per PUBLISH. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** QoS 0 (no Packet Identifier) or 1. */
    @Param({"0", "1"})
    public int qos;

    /** {@code none}: an empty property section; {@code expiry+user}: Message Expiry Interval and one User Property. */
    @Param({"none", "expiry+user"})
    public String properties;

    private Topic topic;
    private byte[] payload;
    private MqttProperties publishProperties;
    private ByteBuffer out;
    private ByteBuffer in;
    private PublishView view;

    @Setup
    public void setUp() {
        topic = Topic.of("tele/sensor-42/temp");
        payload = new byte[payloadSize];
        Arrays.fill(payload, (byte) 'x');
        publishProperties = propertiesFor(properties);
        out = ByteBuffer.allocateDirect(BUFFER_LENGTH);
        in = ByteBuffer.allocateDirect(BUFFER_LENGTH);
        view = new PublishView();
        if (encodeTo(in) < 0) {
            throw new IllegalStateException("a " + payloadSize + "-byte PUBLISH does not fit " + BUFFER_LENGTH);
        }
        in.flip();
        int decoded = decodeFrom(in);
        int expected = payloadSize + (qos > 0 ? PACKET_ID : 0);
        boolean propertiesSeen = view.properties().has(Property.USER_PROPERTY);
        if (decoded != expected || propertiesSeen != (publishProperties != null)) {
            throw new IllegalStateException("round trip lost data: " + decoded + " != " + expected);
        }
    }

    /** @return bytes written */
    @Benchmark
    public int encode() {
        out.clear();
        return encodeTo(out);
    }

    /** @return payload length + Packet Identifier of the decoded packet */
    @Benchmark
    public int decode() {
        return decodeFrom(in);
    }

    /** Encodes into the reused buffer, then decodes what was written. */
    @Benchmark
    public int roundTrip() {
        out.clear();
        int written = encodeTo(out);
        out.flip();
        return written + decodeFrom(out);
    }

    private int encodeTo(ByteBuffer dst) {
        return PublishEncoder.encode(dst, VERSION, topic, qos, false, false, PACKET_ID, publishProperties,
                payload, 0, payloadSize);
    }

    /** Reads the fixed header at 0, wraps the view over the rest; the receive path up to the listener. */
    private int decodeFrom(ByteBuffer src) {
        long header = FixedHeader.read(src, 0, src.limit(), FixedHeader.MAX_PACKET_SIZE);
        int flags = src.get(0) & 0x0F;
        view.wrap(src, flags, FixedHeader.headerLength(header), FixedHeader.remainingLength(header), VERSION);
        return view.payloadLength() + view.packetId();
    }

    private static MqttProperties propertiesFor(String name) {
        switch (name) {
            case "none":
                return null;
            case "expiry+user":
                return new MqttProperties()
                        .put(Property.MESSAGE_EXPIRY_INTERVAL, 3600)
                        .addUserProperty(utf8("unit"), utf8("celsius"));
            default:
                throw new IllegalArgumentException("unknown properties set: " + name);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
