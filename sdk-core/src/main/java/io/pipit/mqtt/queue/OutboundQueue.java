package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * The outbound store: encoded PUBLISH packets waiting to be sent, in order. Application threads offer;
 * the engine's thread polls. Implementations are thread-safe between those two sides.
 *
 * <p>Each record gets a sequence number, increasing by one per accepted record, which the client hands back
 * to the application as the publish's identity (completion callbacks carry it).
 */
public interface OutboundQueue {
    /** What {@link #poll} returns when there is nothing to send. */
    long EMPTY = -1;
    /** What {@link #poll} returns when the next record does not fit the destination's remaining room. */
    long NO_ROOM = -2;

    /**
     * Appends the packet in {@code packet} (position to limit; consumed).
     *
     * @return the record's sequence number, or -1 when the queue is full (the packet was not taken)
     */
    long offer(ByteBuffer packet);

    /**
     * Moves the oldest record into {@code dst} at its position, advancing it.
     *
     * @return the record's sequence number, {@link #EMPTY} or {@link #NO_ROOM} (nothing taken in either case)
     */
    long poll(ByteBuffer dst);

    /** @return the number of records waiting */
    int size();

    /** @return the number of offers refused because the queue was full, since creation */
    long rejectedCount();
}
