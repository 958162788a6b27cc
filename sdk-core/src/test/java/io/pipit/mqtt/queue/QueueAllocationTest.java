package io.pipit.mqtt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.testing.AllocationMeter;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue half of the zero-allocation contract: offer, poll (with Message Expiry aged in place), sent and
 * completed allocate nothing, for the memory queue and for the file queue between segment switches.
 */
class QueueAllocationTest {
    private static final int MESSAGES = 100_000;

    @TempDir
    File dir;
    private final ByteBuffer packet = ByteBuffer.allocate(256);
    private final ByteBuffer dst = ByteBuffer.allocateDirect(256);
    private final QueueStats stats = new QueueStats();
    private int length;

    QueueAllocationTest() {
        MqttProperties properties = new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, 600);
        PublishEncoder.encode(packet, ProtocolVersion.MQTT_5, Topic.of("tele/gateway-7/sensor-42"), 1, false, false,
                1, properties, new byte[64], 0, 64);
        length = packet.position();
    }

    /** Offers, drains and completes {@code count} messages, 8 at a time; @return bytes handed out */
    private long cycle(OutboundQueue queue, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i += 8) {
            for (int j = 0; j < 8; j++) {
                packet.limit(length).position(0);
                queue.offer(packet);
            }
            for (int j = 0; j < 8; j++) {
                dst.clear();
                long sequence = queue.poll(dst);
                queue.sent(sequence, 1 + j);
                queue.completed(sequence);
                bytes += dst.position();
            }
            queue.stats(stats);
        }
        return bytes;
    }

    private void assertNoAllocation(OutboundQueue queue) {
        cycle(queue, 200_000); // warm-up: class loading, JIT compilation
        long[] moved = new long[1];
        long allocated = new AllocationMeter(3).leastBytesPerRound(() -> {
            moved[0] = cycle(queue, MESSAGES);
            return 0;
        });
        long bytes = moved[0];
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes (least of 3 rounds) for " + MESSAGES
                + " messages");
        assertEquals((long) MESSAGES * length, bytes, "every message went through");
        assertEquals(0, queue.size());
    }

    @Test
    void shouldOfferAndDrainTheMemoryQueueWithoutAllocating() {
        assertNoAllocation(new MemoryQueue(64 * 1024, 1_000));
    }

    @Test
    void shouldOfferAndDrainTheFileQueueWithoutAllocating() throws IOException {
        // one segment holds the whole run: switching segments opens a file, which allocates
        try (FileQueue queue = FileQueue.open(dir, new QueueOptions().segmentBytes(64 * 1024 * 1024)
                .fsync(FsyncPolicy.NONE))) {
            assertNoAllocation(queue);
        }
    }
}
