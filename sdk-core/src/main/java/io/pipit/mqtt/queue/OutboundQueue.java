package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * The outbound store: encoded PUBLISH packets (MQTT 5 form) waiting to be sent, in order. Application
 * threads {@link #offer}; the engine's thread does the rest. Implementations are thread-safe between those
 * two sides.
 *
 * <p>Each accepted record gets a sequence number, increasing by one per record, which the client hands back
 * to the application as the publish's identity (completion and drop callbacks carry it).
 *
 * <p>A record's life: offered → polled (handed to the engine to send) → for QoS 1/2 {@link #sent} with its
 * Packet Identifier → for QoS 2 {@link #released} when PUBREC came → {@link #completed}. A durable queue
 * keeps the record until it is completed, so a process restart loses nothing: {@link #recover} hands the
 * engine what was in flight, and {@link #poll} continues with what was never sent. Completions may come out
 * of order; a durable queue reclaims space up to the lowest sequence not completed. A queue that is not
 * durable may forget a record once it is polled (the engine holds in-flight records itself).
 */
public interface OutboundQueue {
    /** What {@link #poll} returns when there is nothing to send. */
    long EMPTY = -1;
    /** What {@link #poll} returns when the next record does not fit the destination's remaining room. */
    long NO_ROOM = -2;

    /**
     * Appends the packet in {@code packet} (position to limit; consumed when taken). When full, the queue's
     * {@link OverflowPolicy} applies.
     *
     * @return the record's sequence number, or -1 when the packet was refused (full under
     *     {@link OverflowPolicy#REJECT}, a QoS 0 message while offline with QoS 0 queueing off, a storage
     *     failure); every refusal is counted and reported to the {@link DropListener}
     */
    long offer(ByteBuffer packet);

    /**
     * Copies the oldest record not yet handed out into {@code dst} at its position, advancing it. Records
     * whose Message Expiry Interval has passed are dropped (reported) instead; the one handed out has its
     * Message Expiry Interval lowered by the time it waited (spec 3.3.2.3.3).
     *
     * @return the record's sequence number, {@link #EMPTY} or {@link #NO_ROOM} (nothing taken in either case)
     */
    long poll(ByteBuffer dst);

    /** The engine gave the polled QoS 1/2 record {@code sequence} the Packet Identifier {@code packetId}. */
    void sent(long sequence, int packetId);

    /** PUBREC came for the QoS 2 record {@code sequence}: from now on only its PUBREL is resent. */
    void released(long sequence);

    /** The record is finished (acknowledged, refused by the server, or written at QoS 0): forget it. */
    void completed(long sequence);

    /**
     * Hands {@code sink} the records a previous run left in flight, oldest first; a queue that keeps nothing
     * across runs hands none. Called by the engine once, before its first {@link #poll}.
     *
     * @return how many records {@code sink} accepted
     */
    int recover(InflightSink sink);

    /** Tells the queue whether the client is connected (for dropping QoS 0 messages published offline). */
    void connected(boolean connected);

    /** @return the number of records waiting to be sent */
    int size();

    /** @return the number of offers refused, since creation */
    long rejectedCount();

    /** Fills {@code into} with the queue's current figures; @return {@code into} */
    QueueStats stats(QueueStats into);
}
