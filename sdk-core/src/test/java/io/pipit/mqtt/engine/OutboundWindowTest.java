package io.pipit.mqtt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The in-flight window: oldest first, starting with a few slots and growing only to a new high-water mark. */
class OutboundWindowTest {
    private final OutboundWindow window = new OutboundWindow(32);

    private static ByteBuffer packet(int qos, int tag) {
        return ByteBuffer.wrap(new byte[] {(byte) (0x30 | qos << 1), 2, (byte) tag, (byte) tag});
    }

    @Test
    void shouldKeepOrderWhenGrowingWhileTheRingIsWrapped() {
        for (int id = 1; id <= 4; id++) {
            window.add(id, 100 + id, packet(1, id));
        }
        window.remove(0);
        window.remove(0); // head is now mid-ring
        for (int id = 5; id <= 20; id++) {
            window.add(id, 100 + id, packet(id % 2 + 1, id));
        }
        assertEquals(32, window.allocatedSlots());
        assertEquals(18, window.size());
        window.remove(window.indexOf(10));
        for (int i = 0, id = 3; i < window.size(); i++, id++) {
            id = id == 10 ? 11 : id;
            assertEquals(id, window.packetId(i));
            assertEquals(100 + id, window.sequence(i));
            assertEquals(id <= 4 ? 1 : id % 2 + 1, window.qos(i));
            ByteBuffer resent = ByteBuffer.allocate(8);
            window.copy(i, resent, true);
            assertEquals(id, resent.get(2));
            assertEquals(0b1000, resent.get(0) & 0b1000, "DUP set");
        }
    }

    @Test
    void shouldStayAtItsFirstSlotsWhileFewPublishesAreInFlight() {
        assertEquals(OutboundWindow.INITIAL_SLOTS, window.allocatedSlots());
        for (int n = 1; n <= 10_000; n++) {
            window.add(1 + n % 65_535, n, packet(1, n));
            if (window.size() == OutboundWindow.INITIAL_SLOTS) {
                window.remove(window.size() - 1);
                window.remove(0);
            }
        }
        assertEquals(OutboundWindow.INITIAL_SLOTS, window.allocatedSlots());
        assertEquals(32, window.capacity());
        assertEquals(2, new OutboundWindow(2).allocatedSlots());
    }
}
