package io.pipit.mqtt.codec;

import static io.pipit.mqtt.codec.CodecTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FixedHeaderTest {
    @Test
    void shouldReadEachVariableByteIntegerBoundary() {
        // spec 1.5.5 table: 127 = 0x7F; 128 = 0x80 0x01; 16383 = 0xFF 0x7F; 16384 = 0x80 0x80 0x01;
        // 2097151 = 0xFF 0xFF 0x7F; 2097152 = 0x80 0x80 0x80 0x01; 268435455 = 0xFF 0xFF 0xFF 0x7F
        int[][] cases = {
            {0, 0x00}, {127, 0x7F}, {128, 0x80, 0x01}, {16_383, 0xFF, 0x7F}, {16_384, 0x80, 0x80, 0x01},
            {2_097_151, 0xFF, 0xFF, 0x7F}, {2_097_152, 0x80, 0x80, 0x80, 0x01}, {268_435_455, 0xFF, 0xFF, 0xFF, 0x7F},
        };
        for (int[] c : cases) {
            ByteBuffer buf = ByteBuffer.allocate(8);
            VarInt.write(buf, c[0]);
            assertEquals(c.length - 1, buf.position(), "size of " + c[0]);
            assertEquals(c.length - 1, VarInt.sizeOf(c[0]));
            for (int i = 1; i < c.length; i++) {
                assertEquals((byte) c[i], buf.get(i - 1), "byte " + i + " of " + c[0]);
            }
            long packed = VarInt.read(buf, 0, buf.position());
            assertEquals(c[0], VarInt.value(packed));
            assertEquals(c.length - 1, VarInt.size(packed));
        }
    }

    @Test
    void shouldSayIncompleteUntilTheLengthHasArrived() {
        assertEquals(FixedHeader.INCOMPLETE, FixedHeader.read(bytes(), 0, 0, 1000));
        assertEquals(FixedHeader.INCOMPLETE, FixedHeader.read(bytes(0x30), 0, 1, 1000));
        assertEquals(FixedHeader.INCOMPLETE, FixedHeader.read(bytes(0x30, 0x80), 0, 2, 1000));
        long packed = FixedHeader.read(bytes(0x30, 0x80, 0x01), 0, 3, 1000);
        assertEquals(3, FixedHeader.headerLength(packed));
        assertEquals(128, FixedHeader.remainingLength(packed));
    }

    @Test
    void shouldRejectFiveByteRemainingLength() {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> FixedHeader.read(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 0, 6, Integer.MAX_VALUE));
        assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode());
    }

    @Test
    void shouldRejectNonMinimalRemainingLength() {
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> FixedHeader.read(bytes(0x30, 0x80, 0x00), 0, 3, Integer.MAX_VALUE));
        assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode());
    }

    @Test
    void shouldRefuseOversizedPacketBeforeItsBodyArrives() {
        // declares 268,435,455 bytes with only the header received: refused now, not after buffering
        MqttCodecException e = assertThrows(MqttCodecException.class,
                () -> FixedHeader.read(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F), 0, 5, 1024));
        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
        // exactly the maximum is fine: 1 + 1 + 98 = 100
        assertEquals(98, FixedHeader.remainingLength(FixedHeader.read(bytes(0x30, 98), 0, 2, 100)));
        assertEquals(ReasonCode.PACKET_TOO_LARGE, assertThrows(MqttCodecException.class,
                () -> FixedHeader.read(bytes(0x30, 99), 0, 2, 100)).reasonCode());
    }
}
