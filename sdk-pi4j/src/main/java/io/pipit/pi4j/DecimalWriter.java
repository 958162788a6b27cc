package io.pipit.pi4j;

/**
 * Writes numbers as ASCII decimal text into a byte array without allocating and without
 * {@code String.format}: fixed-point, a set number of decimals, rounded half away from zero from the double's
 * binary value ({@code 25.084} with 2 decimals is {@code 25.08}, {@code -0.004} is {@code 0.00}). Values it cannot
 * write exactly in fixed point (NaN, infinities, or more than 18 significant digits at the asked decimals) are
 * written as {@code null}, which JSON payloads read as "no value". Stateless; safe from any thread.
 */
public final class DecimalWriter {
    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
    };
    /** Below Long.MAX_VALUE with room for rounding: scaled magnitudes at or above it are not written as digits. */
    private static final double SCALED_LIMIT = 1e18;

    private DecimalWriter() {
    }

    /**
     * @param decimals digits after the point, 0..9 (0 writes no point)
     * @return the offset after the last byte written, or -1 when {@code dst} has too little room (then some bytes
     *     at {@code offset} may have been overwritten)
     */
    public static int write(double value, int decimals, byte[] dst, int offset) {
        checkDecimals(decimals);
        double scaledMagnitude = Math.abs(value) * POW10[decimals];
        if (!(scaledMagnitude < SCALED_LIMIT)) { // NaN fails every comparison
            return JsonFormatter.writeNull(dst, offset);
        }
        long scaled = (long) (scaledMagnitude + 0.5);
        int at = offset;
        if (value < 0 && scaled != 0) { // no "-0.00"
            if (at >= dst.length) {
                return -1;
            }
            dst[at++] = '-';
        }
        at = writeDigits(scaled / POW10[decimals], 1, dst, at);
        if (decimals == 0 || at < 0) {
            return at;
        }
        if (at >= dst.length) {
            return -1;
        }
        dst[at++] = '.';
        return writeDigits(scaled % POW10[decimals], decimals, dst, at);
    }

    /** Writes a whole number; @return the offset after it, or -1 when it does not fit. */
    public static int write(long value, byte[] dst, int offset) {
        int at = offset;
        if (value < 0) {
            if (at >= dst.length) {
                return -1;
            }
            dst[at++] = '-';
        }
        if (value == Long.MIN_VALUE) { // no positive counterpart: all digits but the last, then that 8
            at = writeDigits(-(value / 10), 1, dst, at);
            if (at < 0 || at >= dst.length) {
                return -1;
            }
            dst[at++] = '8';
            return at;
        }
        return writeDigits(Math.abs(value), 1, dst, at);
    }

    /** Writes a non-negative value with at least {@code minDigits} digits (leading zeros). */
    private static int writeDigits(long value, int minDigits, byte[] dst, int offset) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        digits = Math.max(digits, minDigits);
        if (offset + digits > dst.length) {
            return -1;
        }
        long rest = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            dst[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return offset + digits;
    }

    static void checkDecimals(int decimals) {
        if (decimals < 0 || decimals >= POW10.length) {
            throw new IllegalArgumentException("decimals must be 0..9: " + decimals);
        }
    }
}
