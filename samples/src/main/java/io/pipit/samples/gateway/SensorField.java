package io.pipit.samples.gateway;

import java.util.SplittableRandom;

/**
 * Simulated sensors: temperature, humidity and pressure per sensor, each drifting slowly with noise on top, as
 * real environmental readings do. Each reading is written as ASCII {@code seq,temp,hum,press} into a caller's
 * array without allocating. Not thread-safe: the publishing thread only.
 */
final class SensorField {
    private final double[] temperature;
    private final double[] humidity;
    private final double[] pressure;
    private final long[] sequence;
    private final SplittableRandom random = new SplittableRandom(42);

    SensorField(int sensors) {
        temperature = new double[sensors];
        humidity = new double[sensors];
        pressure = new double[sensors];
        sequence = new long[sensors];
        for (int i = 0; i < sensors; i++) {
            temperature[i] = 18 + random.nextDouble() * 6;
            humidity[i] = 40 + random.nextDouble() * 20;
            pressure[i] = 1005 + random.nextDouble() * 15;
        }
    }

    /** Advances sensor {@code i} by one reading and writes it into {@code out}; @return bytes written */
    int next(int i, byte[] out) {
        temperature[i] += (random.nextDouble() - 0.5) * 0.02;
        humidity[i] = Math.max(0, Math.min(100, humidity[i] + (random.nextDouble() - 0.5) * 0.05));
        pressure[i] += (random.nextDouble() - 0.5) * 0.01;
        int n = writeLong(out, 0, sequence[i]++);
        out[n++] = ',';
        n = writeFixed(out, n, temperature[i] + (random.nextDouble() - 0.5) * 0.1);
        out[n++] = ',';
        n = writeFixed(out, n, humidity[i] + (random.nextDouble() - 0.5) * 0.2);
        out[n++] = ',';
        return writeFixed(out, n, pressure[i]);
    }

    /** @return readings sensor {@code i} has produced */
    long produced(int i) {
        return sequence[i];
    }

    /** Two decimals, rounded; never allocates (no String.format on this path). */
    private static int writeFixed(byte[] out, int at, double value) {
        long hundredths = Math.round(value * 100);
        int n = at;
        if (hundredths < 0) {
            out[n++] = '-';
            hundredths = -hundredths;
        }
        n = writeLong(out, n, hundredths / 100);
        out[n++] = '.';
        out[n++] = (byte) ('0' + hundredths / 10 % 10);
        out[n++] = (byte) ('0' + hundredths % 10);
        return n;
    }

    static int writeLong(byte[] out, int at, long value) {
        if (value == 0) {
            out[at] = '0';
            return at + 1;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int k = digits - 1; k >= 0; k--) {
            out[at + k] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    /** Reads the leading sequence number of a reading in {@code buffer} without allocating. */
    static long sequenceOf(java.nio.ByteBuffer buffer, int offset, int length) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = buffer.get(i);
            if (b == ',') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
