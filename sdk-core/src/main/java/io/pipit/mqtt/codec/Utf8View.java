package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * A flyweight over a UTF-8 Encoded String inside a receive buffer, readable as a {@link CharSequence}
 * without building a {@link String}. Valid until the view that owns it is wrapped again. Not
 * thread-safe.
 *
 * <p>{@link #length()} is the {@code CharSequence} length in UTF-16 chars; {@link #byteLength()} is the
 * wire length. ASCII text (nearly every topic) is read straight from the buffer; other text is decoded
 * once into a char array this view keeps and reuses, so it allocates only when a longer string than any
 * before arrives. {@link #toString()} allocates.
 */
public final class Utf8View implements CharSequence {
    /** Shared by every view until one first decodes non-ASCII text: an empty array is never written. */
    private static final char[] NO_CHARS = new char[0];

    private ByteBuffer buf;
    private int offset;
    private int byteLength = -1;
    private boolean ascii;
    private char[] chars = NO_CHARS;
    private int charLength;
    private boolean decoded;

    /** Reads the length-prefixed, validated string at {@code index}; @return the index after it. */
    int read(ByteBuffer buffer, int index, int limit, String field) {
        int end = skip(buffer, index, limit, field);
        wrap(buffer, index + 2, end - index - 2);
        return end;
    }

    /**
     * Validates the length-prefixed string at {@code index} as {@link #read} does, without a view to point
     * at it; @return the index after it.
     */
    static int skip(ByteBuffer buffer, int index, int limit, String field) {
        int size = Wire.u16(buffer, index, limit, field);
        Wire.require(index + 2, size, limit, field);
        Utf8.check(buffer, index + 2, size, field);
        return index + 2 + size;
    }

    /**
     * Points at bytes already validated by {@link Utf8#check} (e.g. a topic copied out of a decoded packet).
     * Does not validate again.
     */
    public void wrap(ByteBuffer buffer, int byteOffset, int length) {
        this.buf = buffer;
        this.offset = byteOffset;
        this.byteLength = length;
        this.decoded = false;
        boolean onlyAscii = true;
        for (int i = 0; i < length && onlyAscii; i++) {
            onlyAscii = buffer.get(byteOffset + i) >= 0;
        }
        this.ascii = onlyAscii;
    }

    void clear() {
        buf = null;
        offset = 0;
        byteLength = -1;
        ascii = true;
        decoded = false;
    }

    /** @return true when the field was present in the packet */
    public boolean isPresent() {
        return byteLength >= 0;
    }

    /** @return the buffer the bytes live in (shared; do not change its position or contents) */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return index of the first byte in {@link #buffer()} */
    public int byteOffset() {
        return offset;
    }

    /** @return the encoded length in bytes, or -1 when absent */
    public int byteLength() {
        return byteLength;
    }

    /** @return true when the UTF-8 bytes equal {@code utf8}; allocation-free */
    public boolean contentEquals(byte[] utf8) {
        if (utf8.length != byteLength) {
            return false;
        }
        for (int i = 0; i < byteLength; i++) {
            if (buf.get(offset + i) != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies the UTF-8 bytes into {@code dst} at {@code dstOffset}; allocation-free. */
    public void copyTo(byte[] dst, int dstOffset) {
        for (int i = 0; i < byteLength; i++) {
            dst[dstOffset + i] = buf.get(offset + i);
        }
    }

    @Override
    public int length() {
        if (ascii || byteLength < 0) {
            return Math.max(byteLength, 0);
        }
        decode();
        return charLength;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length()) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (length() - 1));
        }
        return ascii ? (char) buf.get(offset + index) : chars[index];
    }

    /** Allocates a new String with the chars in range. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    /** Allocates a new String; prefer {@link #charAt} or {@link #contentEquals} on hot paths. */
    @Override
    public String toString() {
        return byteLength < 0 ? "" : Utf8.decode(buf, offset, byteLength);
    }

    private void decode() {
        if (decoded) {
            return;
        }
        if (chars.length < byteLength) {
            chars = new char[byteLength];
        }
        int n = 0;
        int i = offset;
        int end = offset + byteLength;
        while (i < end) {
            int cp = Utf8.codePointAt(buf, i);
            i += Utf8.sequenceSize(buf.get(i));
            if (cp >= 0x10000) {
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
            } else {
                chars[n++] = (char) cp;
            }
        }
        charLength = n;
        decoded = true;
    }
}
