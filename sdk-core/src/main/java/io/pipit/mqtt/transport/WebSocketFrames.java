package io.pipit.mqtt.transport;

import java.nio.ByteBuffer;

/**
 * Client frame encoding (RFC 6455 section 5.2): header, masking key, then the payload masked in place in the
 * destination buffer. Stateless; allocates nothing.
 */
final class WebSocketFrames {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    /** The longest client frame header: 2 bytes, a 64-bit length, the 4-byte masking key. */
    static final int MAX_HEADER_LENGTH = 14;
    /** The longest control frame payload. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** RFC 6455's close code for "no status code was present". */
    static final int NO_STATUS_CODE = 1005;

    private WebSocketFrames() {
    }

    /** @return the header length of a client frame carrying {@code length} payload bytes */
    static int headerLength(int length) {
        return length < 126 ? 6 : length < 65_536 ? 8 : MAX_HEADER_LENGTH;
    }

    /**
     * Writes one final frame: header and masking key, then {@code length} bytes from {@code payload}'s position
     * (advancing it), masked in place in {@code dst}. The caller checked that {@code dst} has room.
     */
    static void write(ByteBuffer dst, int opcode, ByteBuffer payload, int length, int mask) {
        dst.put((byte) (0x80 | opcode));
        if (length < 126) {
            dst.put((byte) (0x80 | length));
        } else if (length < 65_536) {
            dst.put((byte) (0x80 | 126));
            dst.putShort((short) length);
        } else {
            dst.put((byte) (0x80 | 127));
            dst.putLong(length);
        }
        dst.putInt(mask);
        int start = dst.position();
        int limit = payload.limit();
        payload.limit(payload.position() + length);
        dst.put(payload);
        payload.limit(limit);
        WebSocketMasks.apply(dst, start, length, mask);
    }

    /** Writes a final control frame whose payload is the first {@code length} bytes of {@code payload}, masked. */
    static void writeControl(ByteBuffer dst, int opcode, byte[] payload, int length, int mask) {
        dst.put((byte) (0x80 | opcode));
        dst.put((byte) (0x80 | length));
        dst.putInt(mask);
        int start = dst.position();
        dst.put(payload, 0, length);
        WebSocketMasks.apply(dst, start, length, mask);
    }
}
