package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * An {@link OutboundQueue} in one preallocated byte ring, bounded by bytes and by record count. Offering
 * and polling allocate nothing. Thread-safe: any number of application threads may offer while the engine
 * thread polls; each call holds the queue's lock only to copy one record.
 *
 * <p>Not durable: a record leaves the ring when it is polled (the engine keeps in-flight records), so
 * {@link #sent}, {@link #released} and {@link #completed} have nothing to do and {@link #recover} hands
 * nothing. When full, the {@link OverflowPolicy} decides; every drop is counted and reported.
 */
public final class MemoryQueue implements OutboundQueue {
    /** Record length, sequence, time queued, Message Expiry offset. */
    private static final int HEADER = 4 + 8 + 8 + 4;

    private final byte[] ring;
    private final int maxRecords;
    private final QueueCounters counters;
    private final QueueClock clock;
    private long readIndex;
    private long writeIndex;
    private int records;
    private long packetBytes;
    private long nextSequence;

    /**
     * A queue that refuses when full ({@link OverflowPolicy#REJECT}).
     *
     * @param capacityBytes room for packets plus 24 bytes of bookkeeping each
     * @param maxRecords most records held at once
     */
    public MemoryQueue(int capacityBytes, int maxRecords) {
        this(new QueueOptions().maxBytes(capacityBytes).maxMessages(maxRecords));
    }

    /** A queue with {@code options}' bounds (its ring is {@code maxBytes} long), overflow policy and listener. */
    public MemoryQueue(QueueOptions options) {
        if (options.maxBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a memory queue holds at most 2 GB: " + options.maxBytes());
        }
        this.ring = new byte[(int) options.maxBytes()];
        this.maxRecords = options.maxMessages();
        this.counters = new QueueCounters(options);
        this.clock = options.clock();
    }

    @Override
    public synchronized long offer(ByteBuffer packet) {
        if (counters.refuseQos0(packet)) {
            return -1;
        }
        int length = packet.remaining();
        if (HEADER + length > ring.length) {
            counters.drop(-1, DropCause.REJECTED); // could never fit, whatever the policy
            return -1;
        }
        OverflowPolicy policy = counters.options().overflow();
        while (!fits(length)) {
            if (policy == OverflowPolicy.REJECT) {
                counters.drop(-1, DropCause.REJECTED);
                return -1;
            }
            if (policy == OverflowPolicy.DROP_NEWEST) {
                long sequence = nextSequence++;
                counters.drop(sequence, DropCause.OVERFLOW_NEWEST);
                return sequence;
            }
            counters.drop(removeHead(), DropCause.OVERFLOW_OLDEST);
        }
        long sequence = nextSequence++;
        writeInt(writeIndex, length);
        writeLong(writeIndex + 4, sequence);
        writeLong(writeIndex + 12, clock.millis());
        writeInt(writeIndex + 20, MessageExpiry.find(packet));
        copyIn(writeIndex + HEADER, packet, length);
        writeIndex += HEADER + length;
        records++;
        packetBytes += length;
        return sequence;
    }

    private boolean fits(int length) {
        return records < maxRecords && (writeIndex - readIndex) + HEADER + length <= ring.length;
    }

    /** Takes the oldest record out; @return its sequence number */
    private long removeHead() {
        int length = readInt(readIndex);
        long sequence = readLong(readIndex + 4);
        readIndex += HEADER + length;
        records--;
        packetBytes -= length;
        return sequence;
    }

    @Override
    public synchronized long poll(ByteBuffer dst) {
        while (records > 0) {
            int length = readInt(readIndex);
            if (dst.remaining() < length) {
                return NO_ROOM;
            }
            long queuedMs = readLong(readIndex + 12);
            int expiryOffset = readInt(readIndex + 20);
            int at = dst.position();
            int from = index(readIndex + HEADER);
            int first = Math.min(length, ring.length - from); // the record may wrap around the ring's end
            dst.put(ring, from, first);
            dst.put(ring, 0, length - first);
            long sequence = removeHead();
            if (!MessageExpiry.expireOrAge(dst, at, expiryOffset, queuedMs, clock.millis())) {
                return sequence;
            }
            dst.position(at);
            counters.drop(sequence, DropCause.EXPIRED);
        }
        return EMPTY;
    }

    @Override
    public void sent(long sequence, int packetId) {
        // not durable: the engine's window holds in-flight records
    }

    @Override
    public void released(long sequence) {
        // not durable: nothing to record
    }

    @Override
    public void completed(long sequence) {
        // the record left the ring when it was polled
    }

    @Override
    public int recover(InflightSink sink) {
        return 0; // a memory queue starts empty
    }

    @Override
    public synchronized void connected(boolean connected) {
        counters.online(connected);
    }

    @Override
    public synchronized int size() {
        return records;
    }

    @Override
    public synchronized long rejectedCount() {
        return counters.refusals();
    }

    @Override
    public synchronized QueueStats stats(QueueStats into) {
        counters.fill(into, records, packetBytes, records == 0 ? 0 : readLong(readIndex + 12), clock.millis());
        return into;
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
