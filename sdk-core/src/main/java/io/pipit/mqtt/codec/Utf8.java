package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 Encoded Strings as spec 1.5.4 defines them: well-formed UTF-8 (no overlong forms, nothing above
 * U+10FFFF), no surrogate code points (U+D800..U+DFFF) and no U+0000. Stateless; checks allocate nothing.
 *
 * <p>The specification also says strings SHOULD NOT hold control characters (U+0001..U+001F,
 * U+007F..U+009F) or non-characters. A receiver may refuse them; pipit accepts them and lets callers
 * ask with {@link #hasDiscouragedCodePoints}, because refusing a broker's packet over a tab character
 * would lose messages for no safety gain.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * Checks {@code length} bytes at {@code offset} are a valid MQTT UTF-8 string.
     *
     * @param field what the bytes are, for the error message
     * @throws MqttCodecException (0x81) naming the field and the offset of the first bad byte
     */
    public static void check(ByteBuffer buf, int offset, int length, String field) {
        int bad = firstInvalid(buf, offset, length);
        if (bad >= 0) {
            int b = buf.get(bad) & 0xFF;
            throw MqttCodecException.malformed(bad, field + " is not a valid MQTT UTF-8 string"
                    + (b == 0 ? ": U+0000 is not allowed" : ": ill-formed or surrogate sequence at byte 0x"
                    + Integer.toHexString(b)));
        }
    }

    /** @return the index of the first byte that breaks spec 1.5.4, or -1 when the string is valid */
    public static int firstInvalid(ByteBuffer buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = buf.get(i) & 0xFF;
            if (b >= 0x01 && b < 0x80) {
                i++;
                continue;
            }
            int size = sequenceLength(buf, i, end);
            if (size < 0) {
                return i;
            }
            i += size;
        }
        return -1;
    }

    /**
     * @return the byte count of the valid multi-byte sequence at {@code i}, or -1 when it is ill-formed,
     *     a surrogate, above U+10FFFF or U+0000
     */
    private static int sequenceLength(ByteBuffer buf, int i, int end) {
        int b = buf.get(i) & 0xFF;
        int size;
        int min;
        int max;
        if (b >= 0xC2 && b <= 0xDF) {
            size = 2;
            min = 0x80;
            max = 0xBF;
        } else if (b >= 0xE0 && b <= 0xEF) {
            size = 3;
            // E0 needs A0.. to avoid overlongs; ED stops at 9F because ED A0..BF are surrogates.
            min = b == 0xE0 ? 0xA0 : 0x80;
            max = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            size = 4;
            min = b == 0xF0 ? 0x90 : 0x80;
            max = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        if (i + size > end) {
            return -1;
        }
        int second = buf.get(i + 1) & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k < size; k++) {
            int c = buf.get(i + k) & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return -1;
            }
        }
        return size;
    }

    /**
     * @return true when the (valid) string holds a code point spec 1.5.4 discourages: a control character
     *     U+0001..U+001F or U+007F..U+009F, or a non-character (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF)
     */
    public static boolean hasDiscouragedCodePoints(ByteBuffer buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int cp = codePointAt(buf, i);
            int size = sequenceSize(buf.get(i));
            if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF)
                    || (cp & 0xFFFE) == 0xFFFE) {
                return true;
            }
            i += size;
        }
        return false;
    }

    /** @return the byte count of the valid sequence that starts with {@code firstByte} */
    static int sequenceSize(byte firstByte) {
        int b = firstByte & 0xFF;
        return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }

    /** @return the code point of the valid sequence at {@code i} */
    static int codePointAt(ByteBuffer buf, int i) {
        int b = buf.get(i) & 0xFF;
        switch (sequenceSize((byte) b)) {
            case 1: return b;
            case 2: return (b & 0x1F) << 6 | (buf.get(i + 1) & 0x3F);
            case 3: return (b & 0x0F) << 12 | (buf.get(i + 1) & 0x3F) << 6 | (buf.get(i + 2) & 0x3F);
            default: return (b & 0x07) << 18 | (buf.get(i + 1) & 0x3F) << 12 | (buf.get(i + 2) & 0x3F) << 6
                    | (buf.get(i + 3) & 0x3F);
        }
    }

    /**
     * Encodes a Java string for the wire, refusing what no MQTT peer may receive. Allocates the result:
     * meant for set-up time (topics, client identifiers, property values), not per message.
     *
     * @throws IllegalArgumentException for U+0000, an unpaired surrogate, or more than 65,535 bytes
     */
    public static byte[] encode(String s, String field) {
        if (s == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(field + " contains U+0000 at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " contains an unpaired surrogate at index " + i);
            }
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException(field + " is " + bytes.length + " UTF-8 bytes; at most 65535 fit");
        }
        return bytes;
    }

    /** Decodes bytes already checked by {@link #check}. Allocates a String: for logs and tests. */
    public static String decode(ByteBuffer buf, int offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = buf.get(offset + i);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
