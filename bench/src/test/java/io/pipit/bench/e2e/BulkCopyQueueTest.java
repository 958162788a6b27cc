package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The what-if queue keeps MemoryQueue's contract, so a benchmark run with {@code --queue bulk} measures only the
 * copying: records come out whole and in order with consecutive sequence numbers, also across the ring's wrap,
 * a full queue refuses (by bytes and by records) without losing what it holds, and a record that does not fit
 * the destination stays queued.
 */
final class BulkCopyQueueTest {
    @Test
    void shouldReturnRecordsWholeAndInOrderAcrossTheWrap() {
        BulkCopyQueue queue = new BulkCopyQueue(100, 10); // 12-byte header + 25-byte record: wraps on the 3rd
        ByteBuffer out = ByteBuffer.allocate(64);

        for (int i = 0; i < 20; i++) {
            assertEquals(i, queue.offer(ByteBuffer.wrap(record(i, 25))));
            out.clear();
            assertEquals(i, queue.poll(out));
            assertArrayEquals(record(i, 25), Arrays.copyOf(out.array(), out.position()), "record " + i);
        }
        assertEquals(OutboundQueue.EMPTY, queue.poll(out));
    }

    @Test
    void shouldRefuseWhenFullByBytesOrByRecordsAndKeepWhatItHolds() {
        BulkCopyQueue byBytes = new BulkCopyQueue(80, 10);
        assertEquals(0, byBytes.offer(ByteBuffer.wrap(record(0, 28)))); // 40 bytes with the header
        assertEquals(1, byBytes.offer(ByteBuffer.wrap(record(1, 28)))); // 80: exactly full
        assertEquals(-1, byBytes.offer(ByteBuffer.wrap(record(2, 1))));

        BulkCopyQueue byRecords = new BulkCopyQueue(1000, 2);
        assertEquals(0, byRecords.offer(ByteBuffer.wrap(record(0, 1))));
        assertEquals(1, byRecords.offer(ByteBuffer.wrap(record(1, 1))));
        assertEquals(-1, byRecords.offer(ByteBuffer.wrap(record(2, 1))));

        assertEquals(1, byBytes.rejectedCount());
        assertEquals(2, byBytes.size());
        assertEquals(1, byRecords.rejectedCount());
        assertEquals(2, byRecords.size());
    }

    @Test
    void shouldLeaveARecordThatDoesNotFitTheDestinationQueued() {
        BulkCopyQueue queue = new BulkCopyQueue(100, 10);
        queue.offer(ByteBuffer.wrap(record(7, 20)));
        ByteBuffer small = ByteBuffer.allocate(19);

        assertEquals(OutboundQueue.NO_ROOM, queue.poll(small));
        assertEquals(0, small.position());
        assertEquals(1, queue.size());
        assertEquals(0, queue.poll(ByteBuffer.allocate(20)));
    }

    private static byte[] record(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
