package io.pipit.bench.e2e;

import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;

/**
 * A what-if for the benchmark ({@code --queue bulk}), not part of the SDK: the same bounded byte ring and record
 * layout as pipit's {@code MemoryQueue} (a 4-byte length and an 8-byte sequence before each packet, bounded by
 * bytes and by records, refusing when full), but records are copied in and out with at most two bulk copies
 * (one more when the ring wraps) instead of one byte at a time with a {@code long} modulo per byte. Running the
 * benchmark with both queues shows what the copy costs end to end. Allocation-free; thread-safe like
 * {@code MemoryQueue} (one lock, held for one record's copy).
 */
final class BulkCopyQueue implements OutboundQueue {
    private static final int HEADER = 4 + 8;

    private final byte[] ring;
    private final int maxRecords;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private long readIndex;
    private long writeIndex;
    private int records;
    private long nextSequence;
    private long rejected;

    BulkCopyQueue(int capacityBytes, int maxRecords) {
        this.ring = new byte[capacityBytes];
        this.maxRecords = maxRecords;
    }

    @Override
    public synchronized long offer(ByteBuffer packet) {
        int length = packet.remaining();
        if (records == maxRecords || (writeIndex - readIndex) + HEADER + length > ring.length) {
            rejected++;
            return -1;
        }
        long sequence = nextSequence++;
        header.clear();
        header.putInt(length).putLong(sequence).flip();
        copyIn(writeIndex, header, HEADER);
        copyIn(writeIndex + HEADER, packet, length);
        writeIndex += HEADER + length;
        records++;
        return sequence;
    }

    @Override
    public synchronized long poll(ByteBuffer dst) {
        if (records == 0) {
            return EMPTY;
        }
        header.clear();
        copyOut(readIndex, header, HEADER);
        int length = header.getInt(0);
        if (dst.remaining() < length) {
            return NO_ROOM;
        }
        copyOut(readIndex + HEADER, dst, length);
        readIndex += HEADER + length;
        records--;
        return header.getLong(4);
    }

    private void copyIn(long at, ByteBuffer src, int length) {
        int start = (int) (at % ring.length);
        int first = Math.min(length, ring.length - start);
        src.get(ring, start, first);
        src.get(ring, 0, length - first);
    }

    private void copyOut(long at, ByteBuffer dst, int length) {
        int start = (int) (at % ring.length);
        int first = Math.min(length, ring.length - start);
        dst.put(ring, start, first);
        dst.put(ring, 0, length - first);
    }

    @Override
    public synchronized int size() {
        return records;
    }

    @Override
    public synchronized long rejectedCount() {
        return rejected;
    }
}
