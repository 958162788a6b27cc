package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * A flyweight over Binary Data (a Two Byte length then bytes) inside a receive buffer: where the bytes
 * are, never a copy. Valid until the view that owns it is wrapped again. Not thread-safe.
 */
public final class BinaryView {
    private ByteBuffer buf;
    private int offset;
    private int length = -1;

    /** Reads the length-prefixed field at {@code index}; @return the index after it. */
    int read(ByteBuffer buffer, int index, int limit, String field) {
        int end = skip(buffer, index, limit, field);
        wrap(buffer, index + 2, end - index - 2);
        return end;
    }

    /**
     * Checks the length-prefixed field at {@code index} as {@link #read} does, with no view to point at it.
     *
     * @return the index after it
     */
    static int skip(ByteBuffer buffer, int index, int limit, String field) {
        int size = Wire.u16(buffer, index, limit, field);
        Wire.require(index + 2, size, limit, field);
        return index + 2 + size;
    }

    void wrap(ByteBuffer buffer, int byteOffset, int byteLength) {
        this.buf = buffer;
        this.offset = byteOffset;
        this.length = byteLength;
    }

    void clear() {
        buf = null;
        offset = 0;
        length = -1;
    }

    /** @return true when the field was present in the packet */
    public boolean isPresent() {
        return length >= 0;
    }

    /** @return the buffer the bytes live in (shared; do not change its position or contents) */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return index of the first byte in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return number of bytes, or -1 when absent */
    public int length() {
        return length;
    }

    /** @return the byte at {@code i} (0-based within this field) */
    public byte byteAt(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (length - 1));
        }
        return buf.get(offset + i);
    }

    /** Copies the bytes to {@code dst} at {@code dstOffset}; allocation-free. */
    public void copyTo(byte[] dst, int dstOffset) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = buf.get(offset + i);
        }
    }

    /** @return a new array holding the bytes (allocates), or null when absent */
    public byte[] toByteArray() {
        if (length < 0) {
            return null;
        }
        byte[] copy = new byte[length];
        copyTo(copy, 0);
        return copy;
    }

    /** @return true when the field holds exactly {@code expected}; allocation-free */
    public boolean contentEquals(byte[] expected) {
        if (expected.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf.get(offset + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
