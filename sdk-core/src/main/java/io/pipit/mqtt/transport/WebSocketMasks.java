package io.pipit.mqtt.transport;

import java.security.SecureRandom;

/**
 * Masking keys for client frames (RFC 6455 section 5.3) without allocating: SplitMix64 seeded once per connection
 * from {@link SecureRandom} (whose {@code nextInt} would allocate a small array per call). The keys only need to
 * be unforeseeable by scripts in a browser sharing a proxy, which a device client does not host; this is ample.
 * Not thread-safe: one per transport.
 */
final class WebSocketMasks {
    private long state;

    WebSocketMasks(SecureRandom seeds) {
        this.state = seeds.nextLong();
    }

    /** @return the next 32-bit masking key */
    int next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }

    /**
     * XORs {@code length} bytes of {@code buf} from absolute index {@code offset} with {@code mask}, in place: a
     * word at a time, since the key's byte order matches {@link java.nio.ByteBuffer}'s big-endian ints.
     */
    static void apply(java.nio.ByteBuffer buf, int offset, int length, int mask) {
        int i = offset;
        int end = offset + length;
        for (; i + 4 <= end; i += 4) {
            buf.putInt(i, buf.getInt(i) ^ mask);
        }
        for (int shift = 24; i < end; i++, shift -= 8) {
            buf.put(i, (byte) (buf.get(i) ^ (mask >>> shift)));
        }
    }
}
