package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.AckEncoder;
import io.pipit.mqtt.codec.PacketType;
import java.nio.ByteBuffer;

/**
 * The acknowledgements the engine owes the server (PUBACK, PUBREC, PUBREL, PUBCOMP), in the order they
 * became due: one {@code int} each in a ring. The ring starts small (a device that receives a few messages
 * at a time never owes more than a handful) and doubles when full, never shrinking: it grows only past its
 * high-water mark, not per message. The engine stops reading once {@link #BACKLOG_LIMIT} are owed and writes
 * them first, so a burst of a thousand small QoS 1 messages in one read grows it at most to
 * {@code 2 * BACKLOG_LIMIT}. Not thread-safe: engine thread only.
 */
final class AckQueue {
    /** Acks owed at which the engine pauses reading until they are written. */
    static final int BACKLOG_LIMIT = 256;

    /** Slots to start with; a power of two, as every size the ring takes. */
    static final int INITIAL_CAPACITY = 16;

    private int[] ring = new int[INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Acks written on this connection that end one of the server's QoS 1/2 flows (see {@link #settledCount}). */
    private int settled;

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

    /** @return the ring's slots, for tests of the growth policy */
    int capacity() {
        return ring.length;
    }

    int size() {
        return size;
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

    /**
     * Writes the owed acks in order while they fit, each leaving the queue once written (3.1.1's carry no
     * reason code).
     *
     * @return true when none is left; false when {@code dst} lacked room
     */
    boolean writeTo(ByteBuffer dst, ProtocolVersion version) {
        while (size > 0) {
            int ack = peek();
            int code = version.isMqtt5() ? reasonCode(ack) : 0;
            if (AckEncoder.encode(dst, type(ack), version, packetId(ack), code, null) < 0) {
                return false;
            }
            if (endsServerFlow(ack)) {
                settled++;
            }
            remove();
        }
        return true;
    }

    void clear() {
        head = 0;
        size = 0;
        settled = 0;
    }

    /**
     * @return the acks written on this connection that end a QoS 1 or 2 flow the server began: PUBACK, PUBCOMP, and
     *     PUBREC with a reason code of 0x80 or more (spec 4.9: what gives the server back a unit of its send quota).
     *     Counted when written, not when queued: until then the server cannot have seen them. Wraps like any int;
     *     only differences are meaningful.
     */
    int settledCount() {
        return settled;
    }

    private static boolean endsServerFlow(int ack) {
        int type = type(ack);
        return type == PacketType.PUBACK || type == PacketType.PUBCOMP
                || type == PacketType.PUBREC && reasonCode(ack) >= 0x80;
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
