package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * Bounds-checked big-endian reads by absolute index, for decoders. Every read names the field it
 * reads so a truncated packet is reported as "truncated Packet Identifier at offset 7", never as an
 * {@code IndexOutOfBoundsException}. Reads byte by byte so the buffer's byte order does not matter.
 */
final class Wire {
    private Wire() {
    }

    static void require(int index, int count, int limit, String field) {
        if (count < 0 || index > limit - count) {
            throw MqttCodecException.malformed(index, "truncated " + field + ": needs " + count
                    + " byte(s), " + Math.max(0, limit - index) + " left");
        }
    }

    static int u8(ByteBuffer buf, int index, int limit, String field) {
        require(index, 1, limit, field);
        return buf.get(index) & 0xFF;
    }

    static int u16(ByteBuffer buf, int index, int limit, String field) {
        require(index, 2, limit, field);
        return (buf.get(index) & 0xFF) << 8 | (buf.get(index + 1) & 0xFF);
    }

    static long u32(ByteBuffer buf, int index, int limit, String field) {
        require(index, 4, limit, field);
        return ((long) (buf.get(index) & 0xFF) << 24) | (buf.get(index + 1) & 0xFF) << 16
                | (buf.get(index + 2) & 0xFF) << 8 | (buf.get(index + 3) & 0xFF);
    }

    /** Reads a Variable Byte Integer inside a packet, where running out of bytes is malformed. */
    static long varInt(ByteBuffer buf, int index, int limit, String field) {
        long packed = VarInt.read(buf, index, limit);
        if (packed == VarInt.INCOMPLETE) {
            throw MqttCodecException.malformed(index, "truncated " + field);
        }
        return packed;
    }

    static void putU16(ByteBuffer dst, int value) {
        dst.put((byte) (value >>> 8)).put((byte) value);
    }

    static void putU32(ByteBuffer dst, long value) {
        dst.put((byte) (value >>> 24)).put((byte) (value >>> 16)).put((byte) (value >>> 8)).put((byte) value);
    }

    /** Writes a Two Byte length then the bytes: the shape of UTF-8 strings and Binary Data. */
    static void putPrefixed(ByteBuffer dst, byte[] bytes) {
        putU16(dst, bytes.length);
        dst.put(bytes);
    }

    static void checkU16(long value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " must be 0..65535: " + value);
        }
    }

    static void checkPrefixed(byte[] bytes, String field) {
        if (bytes == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException(field + " is " + bytes.length + " bytes; at most 65535 fit");
        }
    }
}
