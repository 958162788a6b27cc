package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's delivery figures come from the payloads, not from counting callbacks: a missing sequence
 * number is a loss, a repeated one a duplicate, a smaller one after a larger one a reordering, and a message of
 * the other phase (a late warm-up message) never counts towards the measured phase.
 */
final class ReceiptsTest {
    private final Receipts receipts = new Receipts(Receipts.MEASURE, 5);
    private final byte[] payload = new byte[64];

    @Test
    void shouldCountLossDuplicatesAndReorderingBySequence() {
        receive(0, Receipts.MEASURE, 100);
        receive(2, Receipts.MEASURE, 200);
        receive(1, Receipts.MEASURE, 300); // after 2: reordered
        receive(2, Receipts.MEASURE, 400); // again: a duplicate
        // 3 and 4 never arrive: lost

        assertEquals(4, receipts.receivedCount());
        assertEquals(3, receipts.distinctCount());
        assertEquals(1, receipts.duplicateCount());
        assertEquals(1, receipts.reorderedCount());
        assertEquals(400, receipts.lastReceiveNs());
    }

    @Test
    void shouldCountPayloadArraysOfPeerClientsLikeBuffers() {
        for (long sequence : new long[] {0, 3, 1, 3}) {
            byte[] copy = new byte[64];
            Receipts.stamp(copy, sequence, Receipts.MEASURE);
            receipts.record(copy, 10 + sequence);
        }
        receipts.record(new byte[4], 99); // too short to carry a sequence

        assertEquals(3, Receipts.sequenceOf(stamped(3)));
        assertEquals(3, receipts.distinctCount());
        assertEquals(1, receipts.duplicateCount());
        assertEquals(1, receipts.reorderedCount());
        assertEquals(1, receipts.unexpectedCount());
        assertEquals(99, receipts.lastReceiveNs());
    }

    private static byte[] stamped(long sequence) {
        byte[] bytes = new byte[16];
        Receipts.stamp(bytes, sequence, Receipts.MEASURE);
        return bytes;
    }

    @Test
    void shouldCountMessagesOfTheOtherPhaseAsStragglersOnly() {
        receive(0, Receipts.WARMUP, 1);
        receive(1, Receipts.WARMUP, 2);
        receive(0, Receipts.MEASURE, 3);

        assertEquals(2, receipts.straggledCount());
        assertEquals(1, receipts.receivedCount());
        assertEquals(1, receipts.distinctCount());
        assertEquals(0, receipts.duplicateCount());
        assertEquals(0, receipts.unexpectedCount());
    }

    @Test
    void shouldCountPayloadsTheBenchmarkDidNotSend() {
        receive(5, Receipts.MEASURE, 1); // beyond the 5 expected (0..4)
        receive(-1, Receipts.MEASURE, 2);
        receive(0, (byte) 7, 3); // unknown phase
        receipts.record(ByteBuffer.wrap(new byte[4]), 0, 4, 4); // too short to carry a sequence

        assertEquals(4, receipts.unexpectedCount());
        assertEquals(0, receipts.receivedCount());
        assertEquals(0, receipts.straggledCount());
        assertEquals(4, receipts.lastReceiveNs());
    }

    @Test
    void shouldReadThePayloadWhereverItSitsInTheBuffer() {
        ByteBuffer packet = ByteBuffer.allocateDirect(100);
        packet.putLong(30, 4).put(38, Receipts.MEASURE);

        receipts.record(packet, 30, 64, 9);

        assertEquals(1, receipts.distinctCount());
    }

    private void receive(long sequence, byte phase, long nowNs) {
        Receipts.stamp(payload, sequence, phase);
        receipts.record(ByteBuffer.wrap(payload), 0, payload.length, nowNs);
    }
}
