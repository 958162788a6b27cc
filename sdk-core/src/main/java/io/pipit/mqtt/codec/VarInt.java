package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * The Variable Byte Integer of spec 1.5.5: 7 bits a byte, least significant group first, at most four
 * bytes, so values 0..268,435,455. Stateless and allocation-free; safe from any thread.
 *
 * <p>Reads return a packed {@code long}: the encoded size in the high 32 bits and the value in the low
 * 32, so one call yields both without an object. Non-minimal encodings (e.g. {@code 0x80 0x00} for 0)
 * are refused as malformed, which keeps decode→encode byte-identical.
 */
public final class VarInt {
    /** The largest value four bytes can carry. */
    public static final int MAX_VALUE = 268_435_455;
    /** What {@link #read} returns when the bytes end before the integer does. */
    public static final long INCOMPLETE = -1L;

    private VarInt() {
    }

    /** @return bytes needed to encode {@code value} (1..4) */
    public static int sizeOf(int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("Variable Byte Integer out of range: " + value);
        }
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** Writes {@code value} at the buffer's position, advancing it. */
    public static void write(ByteBuffer dst, int value) {
        sizeOf(value);
        int rest = value;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            dst.put((byte) (rest > 0 ? digit | 0x80 : digit));
        } while (rest > 0);
    }

    /**
     * Writes {@code value} into {@code dst} at {@code at}.
     *
     * @return the index just after it
     */
    public static int write(byte[] dst, int at, int value) {
        sizeOf(value);
        int rest = value;
        int i = at;
        do {
            int digit = rest & 0x7F;
            rest >>>= 7;
            dst[i++] = (byte) (rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
        return i;
    }

    /**
     * Reads a Variable Byte Integer at absolute {@code index}, not moving the buffer's position.
     *
     * @param limit index one past the last byte that may be read
     * @return {@code (size << 32) | value}, or {@link #INCOMPLETE} when {@code limit} comes first
     * @throws MqttCodecException (0x81) for a fifth byte or a non-minimal encoding
     */
    public static long read(ByteBuffer buf, int index, int limit) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (index + i >= limit) {
                return INCOMPLETE;
            }
            int b = buf.get(index + i) & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw MqttCodecException.malformed(index, "Variable Byte Integer not in its shortest form");
                }
                return ((long) (i + 1) << 32) | value;
            }
        }
        throw MqttCodecException.malformed(index, "Variable Byte Integer longer than four bytes");
    }

    /** @return the size half of a {@link #read} result */
    public static int size(long packed) {
        return (int) (packed >>> 32);
    }

    /** @return the value half of a {@link #read} result */
    public static int value(long packed) {
        return (int) packed;
    }
}
