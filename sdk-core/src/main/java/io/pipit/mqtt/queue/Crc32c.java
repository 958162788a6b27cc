package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven and allocation-free, for the file
 * queue's records. {@code java.util.zip.CRC32C} would do, but it is Java 9+ and Android 26+. Stateless.
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32c() {
    }

    /** @return the CRC-32C of {@code buf}'s bytes from {@code from} to {@code to} (absolute; position untouched) */
    static int of(ByteBuffer buf, int from, int to) {
        int crc = ~0;
        for (int i = from; i < to; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf.get(i)) & 0xFF];
        }
        return ~crc;
    }
}
