package io.pipit.mqtt.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Our QoS 1 and 2 PUBLISH packets that the server has not finished acknowledging, oldest first, each with
 * its encoded bytes so a resend after reconnect copies instead of re-encoding. Slots are arrays sized once
 * by the window (the smaller of our limit and the server's Receive Maximum); a slot's byte array grows only
 * when a bigger packet than before passes through it. Not thread-safe: engine thread only.
 */
final class OutboundWindow {
    /** Waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
    static final int AWAITING_ACK = 1;
    /** QoS 2 after PUBREC: our PUBREL is owed or sent, waiting for PUBCOMP. */
    static final int AWAITING_PUBCOMP = 2;

    private final int capacity;
    private final int[] packetIds;
    private final int[] states;
    private final long[] sequences;
    private final byte[][] packets;
    private final int[] lengths;
    private int head;
    private int size;

    OutboundWindow(int capacity) {
        this.capacity = capacity;
        packetIds = new int[capacity];
        states = new int[capacity];
        sequences = new long[capacity];
        packets = new byte[capacity][];
        lengths = new int[capacity];
        Arrays.fill(packets, new byte[0]);
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    /** Adds a just-sent PUBLISH: the bytes from {@code packet}'s position to its limit (consumed). */
    void add(int packetId, long sequence, ByteBuffer packet) {
        int slot = (head + size) % capacity;
        int length = packet.remaining();
        if (packets[slot].length < length) {
            packets[slot] = new byte[Math.max(length, packets[slot].length * 2)];
        }
        packet.get(packets[slot], 0, length);
        lengths[slot] = length;
        packetIds[slot] = packetId;
        states[slot] = AWAITING_ACK;
        sequences[slot] = sequence;
        size++;
    }

    /** @return the index (0 = oldest) holding {@code packetId}, or -1 */
    int indexOf(int packetId) {
        for (int i = 0; i < size; i++) {
            if (packetIds[(head + i) % capacity] == packetId) {
                return i;
            }
        }
        return -1;
    }

    int state(int index) {
        return states[slot(index)];
    }

    void state(int index, int state) {
        states[slot(index)] = state;
    }

    long sequence(int index) {
        return sequences[slot(index)];
    }

    /** @return the QoS the PUBLISH at {@code index} was sent with (from its fixed header) */
    int qos(int index) {
        return (packets[slot(index)][0] >> 1) & 0b11;
    }

    int packetId(int index) {
        return packetIds[slot(index)];
    }

    int length(int index) {
        return lengths[slot(index)];
    }

    /**
     * Copies the stored packet at {@code index} into {@code dst} for a resend, with DUP set when the server
     * may have seen it before (spec 3.3.1.1) and cleared when it cannot have.
     */
    void copy(int index, ByteBuffer dst, boolean duplicate) {
        int slot = slot(index);
        int start = dst.position();
        dst.put(packets[slot], 0, lengths[slot]);
        int first = dst.get(start);
        dst.put(start, (byte) (duplicate ? first | 0b1000 : first & ~0b1000));
    }

    /** Removes the entry at {@code index}, keeping the others in order. */
    void remove(int index) {
        for (int i = index; i > 0; i--) {
            move(slot(i - 1), slot(i));
        }
        head = (head + 1) % capacity;
        size--;
    }

    private void move(int from, int to) {
        byte[] spare = packets[to];
        packets[to] = packets[from];
        packets[from] = spare;
        lengths[to] = lengths[from];
        packetIds[to] = packetIds[from];
        states[to] = states[from];
        sequences[to] = sequences[from];
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private int slot(int index) {
        return (head + index) % capacity;
    }
}
