package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The codec half of the zero-allocation contract: encoding and decoding PUBLISH allocates nothing, counted
 * in bytes by the JVM, not inferred from timing.
 */
class PublishCodecAllocationTest {
    private static final int MESSAGES = 1_000_000;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final PublishView view = new PublishView();
    private final Topic topic = Topic.of("tele/gateway-7/sensor-42/temperature");
    private final byte[] payload = new byte[64];
    private final MqttProperties properties = new MqttProperties()
            .put(Property.MESSAGE_EXPIRY_INTERVAL, 600)
            .string(Property.CONTENT_TYPE, "application/cbor")
            .addUserProperty("unit", "celsius");

    /** Encodes then decodes {@code count} packets, cycling QoS 0/1 and no-properties/properties. */
    private long roundTrips(int count) {
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            int qos = i & 1;
            MqttProperties props = (i & 2) == 0 ? null : properties;
            buffer.clear();
            int written = PublishEncoder.encode(buffer, ProtocolVersion.MQTT_5, topic, qos, false, false,
                    (i % 65_535) + 1, props, payload, 0, payload.length);
            long header = FixedHeader.read(buffer, 0, written, FixedHeader.MAX_PACKET_SIZE);
            int headerLength = FixedHeader.headerLength(header);
            view.wrap(buffer, buffer.get(0) & 0x0F, headerLength, FixedHeader.remainingLength(header),
                    ProtocolVersion.MQTT_5);
            checksum += view.payloadLength() + view.packetId() + view.properties().userPropertyCount()
                    + view.topic().byteLength();
        }
        return checksum;
    }

    @Test
    void shouldEncodeAndDecodeAMillionPublishesWithoutAllocating() {
        roundTrips(300_000); // warm-up: class loading, JIT compilation, deoptimisation
        long[] checksums = new long[1];
        long allocated = new AllocationMeter(3).leastBytesPerRound(() -> {
            checksums[0] = roundTrips(MESSAGES);
            return 0;
        });
        long checksum = checksums[0];
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes (least of 3 rounds) for " + MESSAGES
                + " round trips");
        // the loop really ran: every packet decoded to its 64-byte payload, a 37-byte topic, ...
        long expected = 0;
        for (int i = 0; i < MESSAGES; i++) {
            expected += 64 + ((i & 1) == 0 ? 0 : (i % 65_535) + 1) + ((i & 2) == 0 ? 0 : 1) + topic.byteLength();
        }
        assertEquals(expected, checksum);
    }
}
