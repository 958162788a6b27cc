package io.pipit.mqtt.transport;

import static io.pipit.mqtt.transport.WebSocketFrames.MAX_CONTROL_PAYLOAD;
import static io.pipit.mqtt.transport.WebSocketFrames.NO_STATUS_CODE;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_BINARY;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_CLOSE;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_CONTINUATION;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_PING;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_PONG;
import static io.pipit.mqtt.transport.WebSocketFrames.OP_TEXT;

import io.pipit.mqtt.transport.WebSocketException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server frame decoding (RFC 6455 section 5), streaming: a binary message's payload goes straight into the MQTT
 * buffer, however it is fragmented and wherever the reads cut it, so MQTT packets may span frames and frames
 * may hold several packets. Control frames are taken whole (at most 125 bytes): a ping's payload is kept for the
 * pong; a close frame's code and reason end the reading. Every breach is a {@link WebSocketException} with its own
 * {@link Reason}. Allocates nothing until it fails or a close frame arrives.
 *
 * <p>Not thread-safe: the transport's driver thread only.
 */
final class WebSocketFrameReader {
    private final String peer;
    private final int maxFrameLength;
    private final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
    private long payloadLeft;
    private boolean fragmented;
    private int pingLength = -1;
    private int closeCode = WebSocketException.NO_CLOSE_CODE;
    private String closeReason;

    WebSocketFrameReader(String peer, int maxFrameLength) {
        this.peer = peer;
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Copies the payload of binary frames from {@code in} (position to limit) into {@code dst} and takes the
     * control frames met on the way; stops at a ping (to be answered before its buffer is reused), at a close
     * frame, when {@code dst} is full or when a header is incomplete.
     *
     * @return payload bytes copied
     */
    int read(ByteBuffer in, ByteBuffer dst) throws WebSocketException {
        int copied = 0;
        while (closeCode == WebSocketException.NO_CLOSE_CODE && pingLength < 0) {  // a ping is answered first
            if (payloadLeft > 0) {
                int count = (int) Math.min(payloadLeft, Math.min(in.remaining(), dst.remaining()));
                if (count == 0) {
                    break;
                }
                int limit = in.limit();
                in.limit(in.position() + count);
                dst.put(in);
                in.limit(limit);
                payloadLeft -= count;
                copied += count;
            } else if (!nextFrame(in)) {
                break;
            }
        }
        return copied;
    }

    /** @return true when a frame header (and a whole control frame) was taken from {@code in} */
    private boolean nextFrame(ByteBuffer in) throws WebSocketException {
        if (in.remaining() < 2) {
            return false;
        }
        int start = in.position();
        int first = in.get(start) & 0xFF;
        int second = in.get(start + 1) & 0xFF;
        int opcode = first & 0x0F;
        boolean fin = (first & 0x80) != 0;
        checkHeader(first, second, opcode, fin);
        int lengthCode = second & 0x7F;
        int headerLength = lengthCode < 126 ? 2 : lengthCode == 126 ? 4 : 10;
        if (in.remaining() < headerLength) {
            return false;
        }
        long length = lengthCode < 126 ? lengthCode
                : lengthCode == 126 ? in.getShort(start + 2) & 0xFFFF : in.getLong(start + 2);
        checkLength(length, opcode);
        if (opcode >= OP_CLOSE) {
            if (in.remaining() < headerLength + length) {
                return false;  // a control frame is taken whole
            }
            in.position(start + headerLength);
            in.get(control, 0, (int) length);
            onControl(opcode, (int) length);
            return true;
        }
        in.position(start + headerLength);
        fragmented = !fin;
        payloadLeft = length;
        return true;
    }

    private void checkHeader(int first, int second, int opcode, boolean fin) throws WebSocketException {
        if ((first & 0x70) != 0) {
            throw fail(Reason.PROTOCOL_ERROR, "reserved bits set without a negotiated extension (first byte 0x"
                    + Integer.toHexString(first) + ")");
        }
        if (opcode == OP_TEXT) {
            throw fail(Reason.BAD_OPCODE, "a text frame: MQTT travels in binary frames only");
        }
        if (opcode != OP_CONTINUATION && opcode != OP_BINARY && opcode != OP_CLOSE && opcode != OP_PING
                && opcode != OP_PONG) {
            throw fail(Reason.BAD_OPCODE, "reserved opcode 0x" + Integer.toHexString(opcode));
        }
        if ((second & 0x80) != 0) {
            throw fail(Reason.MASKED_SERVER_FRAME, "a masked frame (opcode 0x" + Integer.toHexString(opcode)
                    + "); servers must not mask");
        }
        if (opcode >= OP_CLOSE && !fin) {
            throw fail(Reason.PROTOCOL_ERROR, "a fragmented control frame (opcode 0x"
                    + Integer.toHexString(opcode) + ")");
        }
        if (opcode == OP_CONTINUATION && !fragmented) {
            throw fail(Reason.PROTOCOL_ERROR, "a continuation frame outside a fragmented message");
        }
        if (opcode == OP_BINARY && fragmented) {
            throw fail(Reason.PROTOCOL_ERROR, "a new binary message before the fragmented one ended");
        }
    }

    private void checkLength(long length, int opcode) throws WebSocketException {
        if (length < 0) {
            throw fail(Reason.LENGTH_OVERFLOW, "a 64-bit frame length with its most significant bit set (0x"
                    + Long.toHexString(length) + ")");
        }
        if (opcode >= OP_CLOSE && length > MAX_CONTROL_PAYLOAD) {
            throw fail(Reason.PROTOCOL_ERROR, "a control frame of " + length + " bytes; at most 125 are allowed");
        }
        if (length > maxFrameLength) {
            throw fail(Reason.FRAME_TOO_LARGE, "a frame of " + length + " bytes; at most " + maxFrameLength
                    + " are accepted (WebSocketOptions.maxFrameLength)");
        }
    }

    private void onControl(int opcode, int length) throws WebSocketException {
        if (opcode == OP_PING) {
            pingLength = length;
        } else if (opcode == OP_CLOSE) {
            if (length == 1) {
                throw fail(Reason.PROTOCOL_ERROR, "a close frame of 1 byte; a status code takes 2");
            }
            closeCode = length == 0 ? NO_STATUS_CODE : (control[0] & 0xFF) << 8 | control[1] & 0xFF;
            closeReason = length <= 2 ? "" : new String(control, 2, length - 2, StandardCharsets.UTF_8);
        }
        // a pong answers nothing: the MQTT keepalive, not WebSocket pings, watches the connection
    }

    /** @return the payload length of a ping still to answer, or -1; the payload is in {@link #control} */
    int pendingPing() {
        return pingLength;
    }

    /** The ping was answered. */
    void pingAnswered() {
        pingLength = -1;
    }

    /** @return the buffer holding the last control frame's payload */
    byte[] control() {
        return control;
    }

    /** @return the server's close code once a close frame arrived, else {@link WebSocketException#NO_CLOSE_CODE} */
    int closeCode() {
        return closeCode;
    }

    /** @return the failure to report for the close frame received */
    WebSocketException closed() {
        return new WebSocketException(Reason.CLOSED_BY_SERVER, peer + " closed the WebSocket with code " + closeCode
                + (closeReason.isEmpty() ? "" : " (" + closeReason + ")"), closeCode);
    }

    private WebSocketException fail(Reason reason, String what) {
        return new WebSocketException(reason, peer + " sent " + what);
    }
}
