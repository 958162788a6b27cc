package io.pipit.mqtt.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Our QoS 1 and 2 PUBLISH packets that the server has not finished acknowledging, oldest first, each with
 * its encoded bytes so a resend after reconnect copies instead of re-encoding. Slots are arrays that start
 * at {@link #INITIAL_SLOTS} and double, up to the window (our maximum in flight), only when more publishes
 * are in flight at once than ever before; a slot's byte array grows only when a bigger packet than before
 * passes through it. So a device with a publish or two in flight keeps a small window, and none of it grows
 * in steady state. Not thread-safe: engine thread only.
 */
final class OutboundWindow {
    /** Waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
    static final int AWAITING_ACK = 1;
    /** QoS 2 after PUBREC: our PUBREL is owed or sent, waiting for PUBCOMP. */
    static final int AWAITING_PUBCOMP = 2;

    /** Slots allocated to start with (fewer when the window is smaller). */
    static final int INITIAL_SLOTS = 4;
    private static final byte[] EMPTY = new byte[0];
    /** The longest packet any slot has held. */
    private int largest = 1;

    private final int capacity;
    private int[] packetIds;
    private int[] states;
    private long[] sequences;
    private byte[][] packets;
    private int[] lengths;
    private int head;
    private int size;

    OutboundWindow(int capacity) {
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL_SLOTS));
    }

    private void allocate(int slots) {
        packetIds = new int[slots];
        states = new int[slots];
        sequences = new long[slots];
        packets = new byte[slots][];
        lengths = new int[slots];
        Arrays.fill(packets, EMPTY);
    }

    /**
     * Makes room now for {@code slots} publishes in flight (at most the capacity): called with the server's receive
     * window on CONNACK, so the window never grows, and never allocates, while messages flow.
     */
    void reserve(int slots) {
        int wanted = Math.min(capacity, slots);
        if (packetIds.length < wanted) {
            resize(wanted);
        }
    }

    /** Doubles the slots (at most to the capacity). */
    private void grow() {
        resize(Math.min(capacity, packetIds.length * 2));
    }

    /** Re-allocates {@code slots} slots, moving the entries to the front in order. */
    private void resize(int slots) {
        int[] oldIds = packetIds;
        int[] oldStates = states;
        long[] oldSequences = sequences;
        byte[][] oldPackets = packets;
        int[] oldLengths = lengths;
        allocate(slots);
        for (int i = 0; i < size; i++) {
            int from = (head + i) % oldIds.length;
            packetIds[i] = oldIds[from];
            states[i] = oldStates[from];
            sequences[i] = oldSequences[from];
            packets[i] = oldPackets[from];
            lengths[i] = oldLengths[from];
        }
        head = 0;
    }

    /** @return the slots allocated now, for tests of the growth policy */
    int allocatedSlots() {
        return packetIds.length;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    /** Adds a just-sent PUBLISH: the bytes from {@code packet}'s position to its limit (consumed). */
    void add(int packetId, long sequence, ByteBuffer packet) {
        if (size == packetIds.length && size < capacity) { // callers never add to a full window
            grow();
        }
        int slot = slot(size);
        int length = packet.remaining();
        if (packets[slot].length < length) {
            // Twice the largest packet so far, rounded to a power of two, for every slot that grows: a slot first
            // used late, or telemetry a few bytes longer than usual, must not allocate in steady state.
            largest = Math.max(largest, length);
            packets[slot] = new byte[Integer.highestOneBit(2 * largest - 1) << 1];
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
            if (packetIds[slot(i)] == packetId) {
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

    /**
     * Turns every stored MQTT 5.0 PUBLISH into its 3.1.1 form, for a session that falls back to 3.1.1 with
     * publishes still in flight (a reconnect that reached a 3.1.1-only server). Rare, so it may allocate.
     */
    void stripProperties() {
        for (int i = 0; i < size; i++) {
            int slot = slot(i);
            ByteBuffer packet = ByteBuffer.wrap(packets[slot]);
            packet.position(lengths[slot]);
            OutgoingPublish.stripProperties(packet, 0);
            lengths[slot] = packet.position();
        }
    }

    /** Removes the entry at {@code index}, keeping the others in order. */
    void remove(int index) {
        for (int i = index; i > 0; i--) {
            move(slot(i - 1), slot(i));
        }
        head = (head + 1) % packetIds.length;
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
        return (head + index) % packetIds.length;
    }
}
