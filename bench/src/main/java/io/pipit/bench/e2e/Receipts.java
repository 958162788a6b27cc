package io.pipit.bench.e2e;

import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * What the subscriber received in one phase, counted by the sequence number and phase that every benchmark
 * payload carries: a big-endian {@code long} sequence at {@link #SEQUENCE_OFFSET} and a phase byte ({@link #WARMUP}
 * or {@link #MEASURE}) at {@link #PHASE_OFFSET}; the rest of the payload is zeros. Knowing the sequence lets the
 * benchmark report loss, duplicates and reordering instead of assuming them away. Each phase has its own instance,
 * so the warm-up runs exactly the code the measured phase runs (the JIT sees no branch there that warm-up never
 * took); a payload of another phase is counted as a straggler.
 *
 * <p>Thread-safety: one thread records (the receiving client's I/O thread, or the raw subscriber's reader),
 * any thread reads the counters. {@link #record} allocates nothing: the seen-set is sized up front.
 */
final class Receipts {
    static final int SEQUENCE_OFFSET = 0;
    static final int PHASE_OFFSET = 8;
    /** Smallest payload that holds the sequence and the phase. */
    static final int MIN_PAYLOAD = PHASE_OFFSET + 1;
    static final byte WARMUP = 0;
    static final byte MEASURE = 1;

    private final BitSet seen;
    private final int expected;
    private final byte phase;
    private long highest = -1;
    private volatile long straggledCount;
    private volatile long receivedCount;
    private volatile long distinctCount;
    private volatile long duplicateCount;
    private volatile long reorderedCount;
    private volatile long unexpectedCount;
    private volatile long lastReceiveNs;

    /**
     * @param phase the phase counted: {@link #WARMUP} or {@link #MEASURE}
     * @param expected messages in the phase; sequences 0 .. expected-1
     */
    Receipts(byte phase, int expected) {
        this.phase = phase;
        this.expected = expected;
        this.seen = new BitSet(expected);
    }

    /** Writes {@code sequence} and {@code phase} into a benchmark payload; allocation-free. */
    static void stamp(byte[] payload, long sequence, byte phase) {
        for (int i = 0; i < 8; i++) {
            payload[SEQUENCE_OFFSET + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        payload[PHASE_OFFSET] = phase;
    }

    /** Same as {@link #stamp(byte[], long, byte)}, at {@code offset} inside a larger array (a packet). */
    static void stamp(byte[] packet, int offset, long sequence, byte phase) {
        for (int i = 0; i < 8; i++) {
            packet[offset + SEQUENCE_OFFSET + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        packet[offset + PHASE_OFFSET] = phase;
    }

    /**
     * Counts one received payload read by absolute index from {@code buffer}. Recording thread only.
     *
     * @param nowNs when it arrived ({@link System#nanoTime()})
     */
    void record(ByteBuffer buffer, int payloadOffset, int payloadLength, long nowNs) {
        if (payloadLength < MIN_PAYLOAD) {
            lastReceiveNs = nowNs;
            unexpectedCount++;
            return;
        }
        record(buffer.getLong(payloadOffset + SEQUENCE_OFFSET), buffer.get(payloadOffset + PHASE_OFFSET), nowNs);
    }

    /** Same as {@link #record(ByteBuffer, int, int, long)}, for a payload a peer client hands over as an array. */
    void record(byte[] payload, long nowNs) {
        if (payload.length < MIN_PAYLOAD) {
            lastReceiveNs = nowNs;
            unexpectedCount++;
            return;
        }
        record(sequenceOf(payload), payload[PHASE_OFFSET], nowNs);
    }

    /** @return the sequence number {@link #stamp(byte[], long, byte)} wrote into {@code payload} */
    static long sequenceOf(byte[] payload) {
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = sequence << 8 | (payload[SEQUENCE_OFFSET + i] & 0xFF);
        }
        return sequence;
    }

    private void record(long sequence, byte payloadPhase, long nowNs) {
        lastReceiveNs = nowNs;
        if (payloadPhase != phase && (payloadPhase == WARMUP || payloadPhase == MEASURE)) {
            straggledCount++; // e.g. a warm-up message arriving after the measured phase began
            return;
        }
        if (payloadPhase != phase || sequence < 0 || sequence >= expected) {
            unexpectedCount++;
            return;
        }
        receivedCount++;
        int index = (int) sequence;
        if (seen.get(index)) {
            duplicateCount++;
        } else {
            seen.set(index);
            distinctCount++;
        }
        if (sequence < highest) {
            reorderedCount++;
        } else {
            highest = sequence;
        }
    }

    /** @return messages of another phase received while this one was counting */
    long straggledCount() {
        return straggledCount;
    }

    /** @return the phase byte this instance counts ({@link #WARMUP} or {@link #MEASURE}) */
    byte phase() {
        return phase;
    }

    /** @return this phase's messages received, duplicates included */
    long receivedCount() {
        return receivedCount;
    }

    /** @return distinct sequence numbers of this phase received */
    long distinctCount() {
        return distinctCount;
    }

    /** @return messages of this phase whose sequence number had been received before */
    long duplicateCount() {
        return duplicateCount;
    }

    /** @return messages of this phase that arrived after a higher sequence number */
    long reorderedCount() {
        return reorderedCount;
    }

    /** @return payloads that were too short, or had an unknown phase or an out-of-range sequence */
    long unexpectedCount() {
        return unexpectedCount;
    }

    /** @return {@link System#nanoTime()} of the last payload recorded here (any phase), or 0 before the first */
    long lastReceiveNs() {
        return lastReceiveNs;
    }
}
