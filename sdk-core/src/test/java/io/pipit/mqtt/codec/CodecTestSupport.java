package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test support shared by the codec tests: byte helpers, a stand-in dispatcher, property comparison. */
final class CodecTestSupport {
    /** Packets sit this far into their buffer, behind junk, so a view that assumed index 0 would fail. */
    static final int AT = 3;

    private CodecTestSupport() {
    }

    /** @return a buffer holding exactly {@code values} as bytes, ready to read */
    static ByteBuffer bytes(int... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length);
        for (int v : values) {
            buf.put((byte) v);
        }
        buf.flip();
        return buf;
    }

    /** Compares every property, in order for User Properties, between what was encoded and what was read. */
    static void assertSameProperties(MqttProperties expected, PropertiesView actual) {
        long mask = 0;
        for (int id = 1; id <= Property.MAX_ID; id++) {
            mask |= expected.has(id) ? 1L << id : 0;
        }
        assertEquals(Long.toBinaryString(mask), Long.toBinaryString(actual.presentMask()));
        for (long rest = mask; rest != 0; rest &= rest - 1) {
            int id = Long.numberOfTrailingZeros(rest);
            switch (Property.type(id)) {
                case Property.TYPE_UTF8 -> assertTrue(actual.string(id).contentEquals(expected.bytes(id)), Property.name(id));
                case Property.TYPE_BINARY -> assertArrayEquals(expected.bytes(id), actual.binary(id).toByteArray());
                case Property.TYPE_UTF8_PAIR -> {
                    assertEquals(expected.userPropertyCount(), actual.userPropertyCount());
                    for (int i = 0; i < expected.userPropertyCount(); i++) {
                        assertTrue(actual.userPropertyKey(i).contentEquals(expected.userPropertyKey(i)));
                        assertTrue(actual.userPropertyValue(i).contentEquals(expected.userPropertyValue(i)));
                    }
                }
                case Property.TYPE_VAR_INT -> {
                    assertEquals(expected.subscriptionIdentifierCount(), actual.subscriptionIdentifierCount());
                    for (int i = 0; i < expected.subscriptionIdentifierCount(); i++) {
                        assertEquals(expected.subscriptionIdentifier(i), actual.subscriptionIdentifier(i));
                    }
                }
                default -> assertEquals(expected.number(id, -1), actual.number(id, -2), Property.name(id));
            }
        }
    }

    static byte[] encode(ConnectEncoder encoder) {
        ByteBuffer dst = ByteBuffer.allocate(encoder.encodedLength());
        assertEquals(dst.capacity(), encoder.encode(dst));
        assertFalse(dst.hasRemaining());
        return dst.array();
    }

    /** Puts {@code packet} {@link #AT} bytes into a buffer with junk on both sides; @return that buffer. */
    static ByteBuffer embed(byte[] packet) {
        ByteBuffer buf = ByteBuffer.allocate(AT + packet.length + 2);
        buf.put(new byte[] {'#', 0, (byte) 0xFF}).put(packet).put(new byte[] {'+', 0}).position(1);
        return buf;
    }

    /** A view's {@code wrap}, so one helper plays dispatcher for every view. */
    interface Wrap {
        void wrap(ByteBuffer buffer, int flags, int offset, int remainingLength, ProtocolVersion version);
    }

    /** Does the dispatcher's part: reads the fixed header at {@link #AT}, hands the rest to {@code view}. */
    static void dispatch(byte[] packet, ProtocolVersion version, Wrap view) {
        ByteBuffer buf = embed(packet);
        long header = FixedHeader.read(buf, AT, AT + packet.length, Integer.MAX_VALUE);
        view.wrap(buf, buf.get(AT) & 0x0F, AT + FixedHeader.headerLength(header),
                FixedHeader.remainingLength(header), version);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
