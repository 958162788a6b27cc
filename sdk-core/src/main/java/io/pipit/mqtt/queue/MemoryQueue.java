package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * An {@link OutboundQueue} in one preallocated byte ring, bounded by bytes and by record count. Offering
 * and polling allocate nothing. Thread-safe: any number of application threads may offer while the engine
 * thread polls; each call holds the queue's lock only to copy one record.
 *
 * <p>When full, {@link #offer} refuses and counts the refusal; nothing already queued is dropped.
 */
public final class MemoryQueue implements OutboundQueue {
    private static final int HEADER = 4 + 8; // record length, sequence

    private final byte[] ring;
    private final int maxRecords;
    private long readIndex;
    private long writeIndex;
    private int records;
    private long nextSequence;
    private long rejected;

    /**
     * @param capacityBytes room for packets plus 12 bytes of bookkeeping each
     * @param maxRecords most records held at once
     */
    public MemoryQueue(int capacityBytes, int maxRecords) {
        if (capacityBytes < 64 || maxRecords < 1) {
            throw new IllegalArgumentException("queue needs at least 64 bytes and 1 record: " + capacityBytes
                    + " bytes, " + maxRecords + " records");
        }
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
        writeInt(writeIndex, length);
        writeLong(writeIndex + 4, sequence);
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
        int length = readInt(readIndex);
        if (dst.remaining() < length) {
            return NO_ROOM;
        }
        long sequence = readLong(readIndex + 4);
        int from = index(readIndex + HEADER);
        int first = Math.min(length, ring.length - from); // the record may wrap around the ring's end
        dst.put(ring, from, first);
        dst.put(ring, 0, length - first);
        readIndex += HEADER + length;
        records--;
        return sequence;
    }

    @Override
    public synchronized int size() {
        return records;
    }

    @Override
    public synchronized long rejectedCount() {
        return rejected;
    }

    private int index(long position) {
        return (int) (position % ring.length);
    }

    private void copyIn(long at, ByteBuffer src, int length) {
        int to = index(at);
        int first = Math.min(length, ring.length - to);
        src.get(ring, to, first);
        src.get(ring, 0, length - first);
    }

    private void writeInt(long at, int value) {
        for (int i = 0; i < 4; i++) {
            ring[index(at + i)] = (byte) (value >>> (24 - 8 * i));
        }
    }

    private void writeLong(long at, long value) {
        writeInt(at, (int) (value >>> 32));
        writeInt(at + 4, (int) value);
    }

    private int readInt(long at) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | (ring[index(at + i)] & 0xFF);
        }
        return value;
    }

    private long readLong(long at) {
        return (long) readInt(at) << 32 | (readInt(at + 4) & 0xFFFF_FFFFL);
    }
}
