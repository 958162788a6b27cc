package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.transport.WebSocketException.Reason;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Server frames byte by byte: streaming unframing, control frames, and each breach with its own reason. */
class WebSocketFrameReaderTest {
    private final WebSocketFrameReader reader = new WebSocketFrameReader("server:80", 1024);
    private final ByteBuffer dst = ByteBuffer.allocate(64);

    private int read(int... bytes) throws WebSocketException {
        byte[] wire = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            wire[i] = (byte) bytes[i];
        }
        ByteBuffer in = ByteBuffer.wrap(wire);
        int copied = reader.read(in, dst);
        assertEquals(0, in.remaining(), "every byte consumed");
        return copied;
    }

    private void assertFails(Reason reason, int... bytes) {
        WebSocketException e = assertThrows(WebSocketException.class, () -> read(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("server:80"), e.getMessage());
    }

    @Test
    void shouldJoinABinaryFrameAndItsContinuations() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {
            0x02, 0x02, 'a', 'b',  // binary, not final
            (byte) 0x89, 0x01, 'p',  // a ping between fragments
            0x00, 0x01, 'c'});  // continuation, not final
        assertEquals(2, reader.read(in, dst));
        assertEquals(1, reader.pendingPing(), "the read stops at the ping, to be answered");
        assertEquals('p', reader.control()[0]);
        reader.pingAnswered();
        assertEquals(1, reader.read(in, dst));
        assertEquals(2, read(0x80, 0x02, 'd', 'e'));  // final continuation
        assertArrayEquals("abcde".getBytes(), Arrays.copyOf(dst.array(), dst.position()));
    }

    @Test
    void shouldWaitForTheRestOfAHeaderOrAControlFrame() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) 0x82, 126, 0});
        assertEquals(0, reader.read(in, dst));
        assertEquals(0, in.position(), "a partial 16-bit length waits");
        in = ByteBuffer.wrap(new byte[] {(byte) 0x88, 0x05, 0x03, (byte) 0xE8});
        assertEquals(0, reader.read(in, dst));
        assertEquals(0, in.position(), "a control frame is taken whole");
    }

    @Test
    void shouldReadACloseFrameCodeAndReason() throws Exception {
        read(0x88, 0x06, 0x03, 0xF3, 'b', 'u', 's', 'y');
        assertEquals(1011, reader.closeCode());
        WebSocketException e = reader.closed();
        assertEquals(Reason.CLOSED_BY_SERVER, e.reason());
        assertEquals(1011, e.closeCode());
        assertTrue(e.getMessage().contains("1011 (busy)"), e.getMessage());
    }

    @Test
    void shouldGiveAnEmptyCloseFrameCode1005() throws Exception {
        read(0x88, 0x00);
        assertEquals(1005, reader.closeCode());
    }

    @Test
    void shouldNameEveryMalformedFrame() {
        assertFails(Reason.BAD_OPCODE, 0x83, 0x00);                       // reserved data opcode
        assertFails(Reason.BAD_OPCODE, 0x8B, 0x00);                       // reserved control opcode
        assertFails(Reason.BAD_OPCODE, 0x81, 0x00);                       // text
        assertFails(Reason.MASKED_SERVER_FRAME, 0x82, 0x81, 1, 2, 3, 4, 9);
        assertFails(Reason.LENGTH_OVERFLOW, 0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0);
        assertFails(Reason.FRAME_TOO_LARGE, 0x82, 126, 0x04, 0x01);       // 1025 > 1024
        assertFails(Reason.PROTOCOL_ERROR, 0xC2, 0x00);                   // RSV1 without an extension
        assertFails(Reason.PROTOCOL_ERROR, 0x09, 0x00);                   // fragmented ping
        assertFails(Reason.PROTOCOL_ERROR, 0x89, 126, 0x00, 0x7E);        // 126-byte ping
        assertFails(Reason.PROTOCOL_ERROR, 0x80, 0x00);                   // continuation without a start
        assertFails(Reason.PROTOCOL_ERROR, 0x88, 0x01, 0x03);             // close with half a code
    }

    @Test
    void shouldRefuseANewMessageInsideAFragmentedOne() throws Exception {
        read(0x02, 0x01, 'a');
        assertFails(Reason.PROTOCOL_ERROR, 0x82, 0x01, 'b');
    }

    @Test
    void shouldMaskInPlaceSoThatUnmaskingRestoresThePayload() {
        WebSocketMasks masks = new WebSocketMasks(new SecureRandom());
        for (int length : new int[] {0, 1, 5, 125, 126, 65_535, 65_536}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) 7);
            ByteBuffer out = ByteBuffer.allocate(length + WebSocketFrames.MAX_HEADER_LENGTH);
            int mask = masks.next();
            WebSocketFrames.write(out, WebSocketFrames.OP_BINARY, ByteBuffer.wrap(payload), length, mask);
            int header = WebSocketFrames.headerLength(length);
            assertEquals(header + length, out.position(), "length " + length);
            assertEquals(mask, out.getInt(header - 4), "the key precedes the payload");
            WebSocketMasks.apply(out, header, length, mask);
            byte[] unmasked = Arrays.copyOfRange(out.array(), header, header + length);
            assertArrayEquals(payload, unmasked, "length " + length);
        }
    }

    @Test
    void shouldComputeTheAcceptOfRfc6455Section1_3() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
