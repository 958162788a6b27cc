package io.pipit.mqtt.queue;

/**
 * The file queue's memory of every record from the checkpoint (the lowest sequence not completed) to the
 * tail: where it is on disk, its packet length, when it was queued, its QoS, its state and Packet
 * Identifier. A ring of arrays indexed by sequence, sized once (it grows only while a queue is recovered);
 * nothing per record is allocated. Not thread-safe: the queue calls it under its lock.
 */
final class SequenceIndex {
    static final byte WAITING = 0;
    static final byte SENT = 1;
    static final byte RELEASED = 2;
    static final byte DONE = 3;

    private long[] addresses;
    private int[] lengths;
    private long[] queuedMs;
    private byte[] states;
    private byte[] qos;
    private char[] packetIds;
    private long checkpoint;
    private long tail;
    private int live;
    private long liveBytes;

    SequenceIndex(int capacity) {
        allocate(capacity);
    }

    private void allocate(int capacity) {
        addresses = new long[capacity];
        lengths = new int[capacity];
        queuedMs = new long[capacity];
        states = new byte[capacity];
        qos = new byte[capacity];
        packetIds = new char[capacity];
    }

    /** Empties the index; the next record added gets {@code sequence}. */
    void reset(long sequence) {
        checkpoint = sequence;
        tail = sequence;
        live = 0;
        liveBytes = 0;
    }

    long checkpoint() {
        return checkpoint;
    }

    long tail() {
        return tail;
    }

    int live() {
        return live;
    }

    long liveBytes() {
        return liveBytes;
    }

    boolean isFull() {
        return tail - checkpoint == addresses.length;
    }

    boolean contains(long sequence) {
        return sequence >= checkpoint && sequence < tail;
    }

    /** Appends the record with sequence {@link #tail()}. */
    void add(long address, int length, long timeMs, int qosLevel) {
        if (isFull()) {
            grow(); // only while recovering: offers check isFull() first
        }
        int slot = slot(tail++);
        addresses[slot] = address;
        lengths[slot] = length;
        queuedMs[slot] = timeMs;
        states[slot] = WAITING;
        qos[slot] = (byte) qosLevel;
        packetIds[slot] = 0;
        live++;
        liveBytes += length;
    }

    private void grow() {
        long[] oldAddresses = addresses;
        int[] oldLengths = lengths;
        long[] oldTimes = queuedMs;
        byte[] oldStates = states;
        byte[] oldQos = qos;
        char[] oldIds = packetIds;
        int oldCapacity = oldAddresses.length;
        allocate(oldCapacity * 2);
        for (long s = checkpoint; s < tail; s++) {
            int from = (int) (s % oldCapacity);
            int to = slot(s);
            addresses[to] = oldAddresses[from];
            lengths[to] = oldLengths[from];
            queuedMs[to] = oldTimes[from];
            states[to] = oldStates[from];
            qos[to] = oldQos[from];
            packetIds[to] = oldIds[from];
        }
    }

    /** Sets a record's state; completing it may move the checkpoint. @return false when it was already done */
    boolean state(long sequence, byte state) {
        int slot = slot(sequence);
        if (states[slot] == DONE) {
            return false;
        }
        states[slot] = state;
        if (state == DONE) {
            live--;
            liveBytes -= lengths[slot];
            while (checkpoint < tail && states[slot(checkpoint)] == DONE) {
                checkpoint++;
            }
        }
        return true;
    }

    byte state(long sequence) {
        return states[slot(sequence)];
    }

    void packetId(long sequence, int packetId) {
        packetIds[slot(sequence)] = (char) packetId;
    }

    int packetId(long sequence) {
        return packetIds[slot(sequence)];
    }

    long address(long sequence) {
        return addresses[slot(sequence)];
    }

    int length(long sequence) {
        return lengths[slot(sequence)];
    }

    long queuedMs(long sequence) {
        return queuedMs[slot(sequence)];
    }

    int qos(long sequence) {
        return qos[slot(sequence)];
    }

    private int slot(long sequence) {
        return (int) (sequence % addresses.length);
    }
}
