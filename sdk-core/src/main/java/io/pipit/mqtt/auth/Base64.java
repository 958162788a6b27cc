package io.pipit.mqtt.auth;

import java.util.Arrays;

/**
 * Standard Base64 (RFC 4648, with padding) for SCRAM messages and PEM files. Here because sdk-core runs on
 * Android API 21, which has no {@code java.util.Base64}. Stateless and thread-safe. An SDK-internal helper,
 * public only so the TLS transport can share it; no API promise.
 */
public final class Base64 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private Base64() {
    }

    /** @return {@code data} as padded standard Base64 */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length + 2) / 3 * 4);
        for (int i = 0; i < data.length; i += 3) {
            int b0 = data[i] & 0xFF;
            int b1 = i + 1 < data.length ? data[i + 1] & 0xFF : 0;
            int b2 = i + 2 < data.length ? data[i + 2] & 0xFF : 0;
            out.append(ALPHABET[b0 >>> 2]).append(ALPHABET[(b0 & 3) << 4 | b1 >>> 4]);
            out.append(i + 1 < data.length ? ALPHABET[(b1 & 0xF) << 2 | b2 >>> 6] : '=');
            out.append(i + 2 < data.length ? ALPHABET[b2 & 0x3F] : '=');
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException for text that is not padded standard Base64 */
    public static byte[] decode(String text) {
        if (text.length() % 4 != 0) {
            throw new IllegalArgumentException("Base64 length " + text.length() + " is not a multiple of 4");
        }
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        byte[] out = new byte[text.length() / 4 * 3 - padding];
        int o = 0;
        for (int i = 0; i < text.length(); i += 4) {
            int bits = 0;
            for (int k = 0; k < 4; k++) {
                char c = text.charAt(i + k);
                int v = c == '=' ? 0 : c < 128 ? VALUES[c] : -1;
                if (v < 0) {
                    throw new IllegalArgumentException("'" + c + "' is not a Base64 character");
                }
                bits = bits << 6 | v;
            }
            for (int k = 2; k >= 0 && o < out.length; k--) {
                out[o++] = (byte) (bits >>> (8 * k));
            }
        }
        return out;
    }
}
