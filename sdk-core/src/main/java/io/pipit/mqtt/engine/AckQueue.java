package io.pipit.mqtt.engine;

/**
 * The acknowledgements the engine owes the server (PUBACK, PUBREC, PUBREL, PUBCOMP), in the order they
 * became due: one {@code int} each in a ring that grows only when more are owed at once than ever before
 * (bounded by the in-flight windows, so after warm-up it never grows). Not thread-safe: engine thread only.
 */
final class AckQueue {
    private int[] ring = new int[64];
    private int head;
    private int size;

    /** Queues an ack of {@code type} for {@code packetId} with {@code reasonCode}. */
    void add(int type, int packetId, int reasonCode) {
        if (size == ring.length) {
            int[] bigger = new int[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = type << 24 | reasonCode << 16 | packetId;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return the oldest ack, packed as {@code type << 24 | reasonCode << 16 | packetId} */
    int peek() {
        return ring[head];
    }

    void remove() {
        head = (head + 1) & (ring.length - 1);
        size--;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    static int type(int packed) {
        return packed >>> 24;
    }

    static int reasonCode(int packed) {
        return (packed >>> 16) & 0xFF;
    }

    static int packetId(int packed) {
        return packed & 0xFFFF;
    }
}
