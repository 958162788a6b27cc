package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * The file queue's on-disk format, in one place. A segment starts with a header (magic, format version, the
 * sequence number its first record will have); then records, each {@code body length (int) · CRC-32C of
 * the body (int) · body}. A body is {@code type (byte) · sequence (long)} and, by type:
 * <ul>
 * <li>{@link #PUBLISH}: time queued (long, ms) · Message Expiry offset (int) · the encoded PUBLISH;</li>
 * <li>{@link #SENT}: the Packet Identifier (short) — QoS 2 only, since a QoS 1 resend may use a new one;</li>
 * <li>{@link #RELEASED}: PUBREC came (QoS 2); {@link #DONE}: completed, expired or dropped.</li>
 * </ul>
 * Big-endian throughout. Stateless; allocation-free.
 */
final class LogRecord {
    static final int MAGIC = 0x50505131; // "PPQ1"
    static final int FORMAT = 1;
    static final int SEGMENT_HEADER = 4 + 4 + 8;
    static final int RECORD_HEADER = 4 + 4;
    /** Type and sequence: the smallest body. */
    static final int BODY_MIN = 1 + 8;
    /** Body bytes before the packet of a {@link #PUBLISH}. */
    static final int PUBLISH_PREFIX = BODY_MIN + 8 + 4;

    static final byte PUBLISH = 'P';
    static final byte SENT = 'S';
    static final byte RELEASED = 'R';
    static final byte DONE = 'D';

    private LogRecord() {
    }

    /** Writes a segment header into {@code dst} (cleared first, flipped after). */
    static void header(ByteBuffer dst, long firstSequence) {
        dst.clear();
        dst.putInt(MAGIC).putInt(FORMAT).putLong(firstSequence);
        dst.flip();
    }

    /** @return the first sequence of the segment whose header is at 0 in {@code src}, or -1 if not a header */
    static long firstSequence(ByteBuffer src) {
        if (src.limit() < SEGMENT_HEADER || src.getInt(0) != MAGIC || src.getInt(4) != FORMAT) {
            return -1;
        }
        return src.getLong(8);
    }

    /** Starts a record in {@code dst} (cleared first): header placeholder, type, sequence. */
    static void begin(ByteBuffer dst, byte type, long sequence) {
        dst.clear();
        dst.position(RECORD_HEADER);
        dst.put(type).putLong(sequence);
    }

    /** Seals the record begun in {@code dst}: fills in length and CRC, flips. */
    static void end(ByteBuffer dst) {
        int end = dst.position();
        dst.putInt(0, end - RECORD_HEADER);
        dst.putInt(4, Crc32c.of(dst, RECORD_HEADER, end));
        dst.flip();
    }

    /**
     * @return the length of the whole valid record at {@code at} in {@code src} (absolute, up to its limit),
     *     or -1 when there is none: too short, a length out of range, or a CRC mismatch
     */
    static int validLength(ByteBuffer src, int at) {
        if (src.limit() - at < RECORD_HEADER + BODY_MIN) {
            return -1;
        }
        int length = src.getInt(at);
        if (length < BODY_MIN || length > src.limit() - at - RECORD_HEADER) {
            return -1;
        }
        int body = at + RECORD_HEADER;
        return Crc32c.of(src, body, body + length) == src.getInt(at + 4) ? RECORD_HEADER + length : -1;
    }
}
