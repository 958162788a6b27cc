package io.pipit.mqtt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The memory queue keeps records whole and in order, across the ring's end, and refuses when full. */
class MemoryQueueTest {
    @Test
    void shouldKeepRecordsWholeAndInOrderAcrossTheRingsEnd() {
        MemoryQueue queue = new MemoryQueue(100, 10); // small: records wrap around often
        ByteBuffer out = ByteBuffer.allocate(64);
        for (int round = 0; round < 1000; round++) {
            int length = 1 + round % 37;
            ByteBuffer record = ByteBuffer.allocate(length);
            for (int i = 0; i < length; i++) {
                record.put((byte) (round + i));
            }
            record.flip();
            assertEquals(round, queue.offer(record));
            out.clear();
            assertEquals(round, queue.poll(out));
            assertEquals(length, out.position());
            for (int i = 0; i < length; i++) {
                assertEquals((byte) (round + i), out.get(i), "byte " + i + " of record " + round);
            }
        }
        assertEquals(OutboundQueue.EMPTY, queue.poll(out));
    }

    @Test
    void shouldRefuseAndCountWhenFullAndSayWhenTheDestinationIsTooSmall() {
        MemoryQueue queue = new MemoryQueue(100, 2); // two 10-byte records and their 24-byte headers
        assertEquals(0, queue.offer(ByteBuffer.wrap(new byte[10])));
        assertEquals(1, queue.offer(ByteBuffer.wrap(new byte[10])));
        assertEquals(-1, queue.offer(ByteBuffer.wrap(new byte[10])), "record count reached");
        assertEquals(1, queue.rejectedCount());
        assertEquals(OutboundQueue.NO_ROOM, queue.poll(ByteBuffer.allocate(5)));
        assertEquals(2, queue.size());
    }
}
