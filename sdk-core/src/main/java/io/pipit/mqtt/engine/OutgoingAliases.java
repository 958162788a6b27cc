package io.pipit.mqtt.engine;

import java.nio.ByteBuffer;

/**
 * Topic aliases we assign to our own publishes (spec 3.3.2.3.4): the first PUBLISH to a topic carries the
 * topic and a new alias; later ones carry only the alias, saving the topic's bytes on every message. Holds at
 * most the server's Topic Alias Maximum (capped by ours); when full, the least recently used alias is
 * reassigned. Reset on every connection, as aliases live only as long as one. Topics are kept in per-slot
 * arrays, made when the slot is first assigned and grown only for a longer topic than before. Not
 * thread-safe: engine thread only.
 */
final class OutgoingAliases {
    private final int cap;
    private byte[][] topics = new byte[0][];
    private int[] lengths = new int[0];
    private long[] lastUsed = new long[0];
    private int size;
    private long clock;

    /** @param cap the most aliases we will use however many the server allows (0 turns aliasing off) */
    OutgoingAliases(int cap) {
        this.cap = cap;
    }

    /** A new connection: forget every alias; use up to {@code serverMaximum} of them. */
    void reset(int serverMaximum) {
        int slots = Math.min(cap, serverMaximum);
        if (topics.length != slots) {
            topics = new byte[slots][];
            lengths = new int[slots];
            lastUsed = new long[slots];
        }
        size = 0;
    }

    boolean isEnabled() {
        return topics.length > 0;
    }

    /**
     * Finds or assigns the alias for the topic at {@code buf[offset, +length)}.
     *
     * @return the alias (1-based), negated when it was just assigned (so the topic must still be sent)
     */
    int aliasFor(ByteBuffer buf, int offset, int length) {
        clock++;
        for (int i = 0; i < size; i++) {
            if (lengths[i] == length && same(topics[i], buf, offset, length)) {
                lastUsed[i] = clock;
                return i + 1;
            }
        }
        int slot = size < topics.length ? size++ : leastRecentlyUsed();
        byte[] held = topics[slot];
        if (held == null || held.length < length) {
            topics[slot] = new byte[Math.max(length, held == null ? 32 : held.length * 2)];
        }
        for (int i = 0; i < length; i++) {
            topics[slot][i] = buf.get(offset + i);
        }
        lengths[slot] = length;
        lastUsed[slot] = clock;
        return -(slot + 1);
    }

    private int leastRecentlyUsed() {
        int oldest = 0;
        for (int i = 1; i < size; i++) {
            if (lastUsed[i] < lastUsed[oldest]) {
                oldest = i;
            }
        }
        return oldest;
    }

    private static boolean same(byte[] topic, ByteBuffer buf, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (topic[i] != buf.get(offset + i)) {
                return false;
            }
        }
        return true;
    }
}
