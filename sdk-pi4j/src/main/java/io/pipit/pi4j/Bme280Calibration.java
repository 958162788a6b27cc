package io.pipit.pi4j;

/**
 * A BME280's factory trimming values and the datasheet's integer compensation (Bosch BME280 datasheet
 * BST-BME280-DS002, section 4.2.3 and 8.2: 32-bit temperature and humidity, 64-bit pressure). Pure arithmetic,
 * immutable, allocation-free; safe from any thread.
 */
final class Bme280Calibration {
    /** Bytes at 0x88..0xA1: dig_T1..dig_P9 (little-endian words), a reserved byte, dig_H1. */
    static final int BLOCK1_LENGTH = 26;
    /** Bytes at 0xE1..0xE7: dig_H2..dig_H6. */
    static final int BLOCK2_LENGTH = 7;

    final int t1;
    final int t2;
    final int t3;
    final int p1;
    final int p2;
    final int p3;
    final int p4;
    final int p5;
    final int p6;
    final int p7;
    final int p8;
    final int p9;
    final int h1;
    final int h2;
    final int h3;
    final int h4;
    final int h5;
    final int h6;

    Bme280Calibration(int[] t, int[] p, int[] h) {
        t1 = t[0];
        t2 = t[1];
        t3 = t[2];
        p1 = p[0];
        p2 = p[1];
        p3 = p[2];
        p4 = p[3];
        p5 = p[4];
        p6 = p[5];
        p7 = p[6];
        p8 = p[7];
        p9 = p[8];
        h1 = h[0];
        h2 = h[1];
        h3 = h[2];
        h4 = h[3];
        h5 = h[4];
        h6 = h[5];
    }

    /** Decodes the two calibration blocks as laid out in datasheet table 16. */
    static Bme280Calibration parse(byte[] block1, byte[] block2) {
        int[] t = {u16(block1, 0), s16(block1, 2), s16(block1, 4)};
        int[] p = new int[9];
        p[0] = u16(block1, 6);
        for (int i = 1; i < 9; i++) {
            p[i] = s16(block1, 6 + 2 * i);
        }
        int e4 = block2[3]; // signed: the high byte of dig_H4
        int e5 = block2[4] & 0xFF;
        int e6 = block2[5]; // signed: the high byte of dig_H5
        int[] h = {
            block1[25] & 0xFF, s16(block2, 0), block2[2] & 0xFF,
            (e4 << 4) | (e5 & 0x0F), (e6 << 4) | (e5 >> 4), block2[6],
        };
        return new Bme280Calibration(t, p, h);
    }

    /** @return t_fine, the temperature in the form the pressure and humidity formulas take */
    int temperatureFine(int adcT) {
        int var1 = (((adcT >> 3) - (t1 << 1)) * t2) >> 11;
        int delta = (adcT >> 4) - t1;
        int var2 = (((delta * delta) >> 12) * t3) >> 14;
        return var1 + var2;
    }

    /** @return the temperature in 0.01 °C: 2508 is 25.08 °C */
    static int centidegrees(int temperatureFine) {
        return (temperatureFine * 5 + 128) >> 8;
    }

    /** @return pressure in Pa as unsigned Q24.8 (divide by 256), or 0 when the calibration would divide by 0 */
    long pressureQ24x8(int adcP, int temperatureFine) {
        long var1 = (long) temperatureFine - 128000;
        long var2 = var1 * var1 * p6;
        var2 = var2 + ((var1 * p5) << 17);
        var2 = var2 + (((long) p4) << 35);
        var1 = ((var1 * var1 * p3) >> 8) + ((var1 * p2) << 12);
        var1 = ((1L << 47) + var1) * p1 >> 33;
        if (var1 == 0) {
            return 0; // avoid division by zero (datasheet)
        }
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (((long) p9) * (p >> 13) * (p >> 13)) >> 25;
        var2 = (((long) p8) * p) >> 19;
        return ((p + var1 + var2) >> 8) + (((long) p7) << 4);
    }

    /** @return relative humidity in %RH as unsigned Q22.10 (divide by 1024), clamped to 0..100 % */
    int humidityQ22x10(int adcH, int temperatureFine) {
        int v = temperatureFine - 76800;
        v = ((((adcH << 14) - (h4 << 20) - (h5 * v)) + 16384) >> 15)
                * (((((((v * h6) >> 10) * (((v * h3) >> 11) + 32768)) >> 10) + 2097152) * h2 + 8192) >> 14);
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * h1) >> 4);
        v = Math.max(0, Math.min(v, 419430400));
        return v >> 12;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int s16(byte[] b, int i) {
        return (short) u16(b, i);
    }
}
