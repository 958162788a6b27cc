package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.PacketType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ring of owed acks: first in, first out, starting small and growing only past its high-water mark. */
class AckQueueTest {
    private final AckQueue acks = new AckQueue();

    @Test
    void shouldGiveAcksBackInOrderAcrossGrowthWhileWrapped() {
        for (int i = 1; i <= 10; i++) {
            acks.add(PacketType.PUBACK, i, 0);
        }
        for (int i = 1; i <= 6; i++) {
            acks.remove(); // head now mid-ring, so growth must unwrap
        }
        for (int i = 11; i <= 100; i++) {
            acks.add(PacketType.PUBREC, i, 0x10);
        }
        assertEquals(128, acks.capacity());
        for (int i = 7; i <= 100; i++) {
            int packed = acks.peek();
            assertEquals(i, AckQueue.packetId(packed));
            assertEquals(i <= 10 ? PacketType.PUBACK : PacketType.PUBREC, AckQueue.type(packed));
            assertEquals(i <= 10 ? 0 : 0x10, AckQueue.reasonCode(packed));
            acks.remove();
        }
        assertTrue(acks.isEmpty());
    }

    @Test
    void shouldStartSmallAndNotGrowWhileTheBacklogStaysWithinIt() {
        assertEquals(AckQueue.INITIAL_CAPACITY, acks.capacity());
        for (int n = 0; n < 100_000; n++) {
            acks.add(PacketType.PUBACK, 1 + n % 65_535, 0);
            if (acks.size() == AckQueue.INITIAL_CAPACITY) {
                while (!acks.isEmpty()) {
                    acks.remove();
                }
            }
        }
        assertEquals(AckQueue.INITIAL_CAPACITY, acks.capacity());
        acks.clear();
        assertEquals(0, acks.size());
    }

    @Test
    void shouldWriteWholeAcksInOrderAndKeepWhatDoesNotFit() {
        acks.add(PacketType.PUBACK, 1, 0x10);
        acks.add(PacketType.PUBREC, 2, 0);
        acks.add(PacketType.PUBCOMP, 3, 0);
        ByteBuffer dst = ByteBuffer.allocate(9);
        assertFalse(acks.writeTo(dst, ProtocolVersion.MQTT_5));
        assertArrayEquals(new byte[] {
            0x40, 0x03, 0x00, 0x01, 0x10, // PUBACK 1, No matching subscribers
            0x50, 0x02, 0x00, 0x02, // PUBREC 2, Success: the reason code is left out
        }, Arrays.copyOf(dst.array(), dst.position()));
        assertEquals(1, acks.size());
        assertEquals(3, AckQueue.packetId(acks.peek()));
    }

    @Test
    void shouldLeaveReasonCodesOutOf311Acks() {
        acks.add(PacketType.PUBACK, 7, 0x10);
        ByteBuffer dst = ByteBuffer.allocate(16);
        assertTrue(acks.writeTo(dst, ProtocolVersion.MQTT_3_1_1));
        assertArrayEquals(new byte[] {0x40, 0x02, 0x00, 0x07}, Arrays.copyOf(dst.array(), dst.position()));
        assertTrue(acks.isEmpty());
    }
}
