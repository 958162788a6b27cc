package io.pipit.mqtt.engine;

import java.util.Arrays;

/**
 * A set of MQTT Packet Identifiers (1..65535), no boxing: the identifiers our in-flight PUBLISH, SUBSCRIBE
 * and UNSUBSCRIBE packets hold, and the incoming QoS 2 identifiers awaiting PUBREL (so a redelivered QoS 2
 * message is not delivered twice). Not thread-safe: it belongs to the engine's thread.
 *
 * <p>Open addressing with linear probing over a {@code char[]} (0 marks an empty slot, never an identifier),
 * starting at 16 slots (about 50 bytes) and doubling when more than half full; removal shifts the rest of
 * the probe run back instead of leaving tombstones, so lookups stay short however many adds and removes
 * pass. Both uses hold at most an in-flight window's worth of identifiers, so the table grows only while a
 * window fills for the first time and never in steady state; all 65,535 fit (in 256 KB) if it comes to that.
 */
public final class PacketIdSet {
    private static final int INITIAL_CAPACITY = 16;
    private static final int MAX_ID = 65_535;

    private char[] slots = new char[INITIAL_CAPACITY];
    /** {@code 32 - log2(slots.length)}: a Fibonacci hash's top bits index the table. */
    private int shift = Integer.numberOfLeadingZeros(INITIAL_CAPACITY) + 1;
    private int size;
    private int cursor = 1;

    /** @return true when {@code id} is in the set */
    public boolean contains(int id) {
        return id >= 1 && id <= MAX_ID && slotOf(id) >= 0;
    }

    /** Adds {@code id}; @return false when it was already present */
    public boolean add(int id) {
        check(id);
        if (slotOf(id) >= 0) {
            return false;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        insert((char) id);
        size++;
        return true;
    }

    /** Removes {@code id}; @return false when it was absent */
    public boolean remove(int id) {
        check(id);
        int hole = slotOf(id);
        if (hole < 0) {
            return false;
        }
        int mask = slots.length - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            char moved = slots[i];
            if (moved == 0) {
                break;
            }
            // Move an entry back into the hole unless its home lies cyclically in (hole, i]: then a lookup
            // starting at its home would no longer reach it past the hole.
            int home = home(moved);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                slots[hole] = moved;
                hole = i;
            }
        }
        slots[hole] = 0;
        size--;
        return true;
    }

    /**
     * Takes the next free identifier after the last one taken, wrapping at 65535, so a just-released
     * identifier is not reused at once (a late duplicate ack then cannot complete the wrong packet).
     *
     * @return the identifier, now in the set, or 0 when all 65,535 are in use
     */
    public int acquire() {
        if (size == MAX_ID) {
            return 0;
        }
        int id = cursor;
        while (slotOf(id) >= 0) {
            id = id == MAX_ID ? 1 : id + 1;
        }
        add(id);
        cursor = id == MAX_ID ? 1 : id + 1;
        return id;
    }

    /** @return how many identifiers are in the set */
    public int size() {
        return size;
    }

    /** Empties the set; keeps its capacity, so refilling to the same size allocates nothing. */
    public void clear() {
        Arrays.fill(slots, (char) 0);
        size = 0;
    }

    /** @return the number of slots, for tests of the growth policy */
    int capacity() {
        return slots.length;
    }

    private int slotOf(int id) {
        int mask = slots.length - 1;
        for (int i = home(id); ; i = (i + 1) & mask) {
            char at = slots[i];
            if (at == id) {
                return i;
            }
            if (at == 0) {
                return -1;
            }
        }
    }

    private void insert(char id) {
        int mask = slots.length - 1;
        int i = home(id);
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id;
    }

    private int home(int id) {
        return (id * 0x9E3779B9) >>> shift;
    }

    private void grow() {
        char[] old = slots;
        slots = new char[old.length * 2];
        shift--;
        for (char id : old) {
            if (id != 0) {
                insert(id);
            }
        }
    }

    private static void check(int id) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("Packet Identifier must be 1..65535: " + id);
        }
    }
}
