package io.pipit.mqtt.engine;

import java.util.Arrays;

/**
 * A fixed bitmap of the 65,535 MQTT Packet Identifiers (1..65535): 8 KB, allocated once, no boxing. Used for
 * the identifiers our in-flight PUBLISH, SUBSCRIBE and UNSUBSCRIBE packets hold, and for the incoming QoS 2
 * identifiers awaiting PUBREL (so a redelivered QoS 2 message is not delivered twice). Not thread-safe: it
 * belongs to the engine's thread.
 */
public final class PacketIdSet {
    private final long[] bits = new long[1024];
    private int size;
    private int cursor = 1;

    /** @return true when {@code id} is in the set */
    public boolean contains(int id) {
        return (bits[id >>> 6] & (1L << id)) != 0;
    }

    /** Adds {@code id}; @return false when it was already present */
    public boolean add(int id) {
        check(id);
        long mask = 1L << id;
        if ((bits[id >>> 6] & mask) != 0) {
            return false;
        }
        bits[id >>> 6] |= mask;
        size++;
        return true;
    }

    /** Removes {@code id}; @return false when it was absent */
    public boolean remove(int id) {
        check(id);
        long mask = 1L << id;
        if ((bits[id >>> 6] & mask) == 0) {
            return false;
        }
        bits[id >>> 6] &= ~mask;
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
        if (size == 65_535) {
            return 0;
        }
        int id = cursor;
        while (contains(id)) {
            id = id == 65_535 ? 1 : id + 1;
        }
        add(id);
        cursor = id == 65_535 ? 1 : id + 1;
        return id;
    }

    /** @return how many identifiers are in the set */
    public int size() {
        return size;
    }

    /** Empties the set. */
    public void clear() {
        Arrays.fill(bits, 0);
        size = 0;
    }

    private static void check(int id) {
        if (id < 1 || id > 65_535) {
            throw new IllegalArgumentException("Packet Identifier must be 1..65535: " + id);
        }
    }
}
