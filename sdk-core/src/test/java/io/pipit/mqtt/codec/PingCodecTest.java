package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PingCodecTest {
    @Test
    void shouldEncodePingReq() {
        assertArrayEquals(AckCodecTest.Packets.of(
                0xC0, // PINGREQ (12 << 4), flags 0000
                0x00), // Remaining Length 0
                ping(PacketType.PINGREQ));
    }

    @Test
    void shouldEncodePingResp() {
        assertArrayEquals(AckCodecTest.Packets.of(
                0xD0, // PINGRESP (13 << 4), flags 0000
                0x00), // Remaining Length 0
                ping(PacketType.PINGRESP));
    }

    @Test
    void shouldReadBackAsEmptyPacketOfItsType() {
        ByteBuffer buffer = ByteBuffer.wrap(ping(PacketType.PINGREQ));
        long header = FixedHeader.read(buffer, 0, buffer.limit(), FixedHeader.MAX_PACKET_SIZE);
        assertEquals(2, FixedHeader.headerLength(header));
        assertEquals(0, FixedHeader.remainingLength(header));
        assertEquals(PacketType.PINGREQ, (buffer.get(0) & 0xFF) >>> 4);
    }

    @Test
    void shouldEncodeAtTheBufferPosition() {
        ByteBuffer dst = ByteBuffer.allocate(5).position(2);
        assertEquals(2, PingEncoder.encode(dst, PacketType.PINGRESP));
        assertEquals(4, dst.position());
        assertArrayEquals(AckCodecTest.Packets.of(0, 0, 0xD0, 0x00, 0), dst.array());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void shouldLeaveTooSmallBufferUntouched(int room) {
        ByteBuffer dst = ByteBuffer.allocate(3).position(3 - room);
        assertEquals(-1, PingEncoder.encode(dst, PacketType.PINGREQ));
        assertEquals(3 - room, dst.position());
        assertArrayEquals(new byte[3], dst.array());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, PacketType.CONNECT, PacketType.PUBACK, PacketType.DISCONNECT, PacketType.AUTH, 16})
    void shouldRefuseOtherTypes(int type) {
        assertThrows(IllegalArgumentException.class, () -> PingEncoder.encodedLength(type));
        assertThrows(IllegalArgumentException.class, () -> PingEncoder.encode(ByteBuffer.allocate(2), type));
    }

    static byte[] ping(int type) {
        assertEquals(PingEncoder.PACKET_LENGTH, PingEncoder.encodedLength(type));
        ByteBuffer dst = ByteBuffer.allocate(PingEncoder.PACKET_LENGTH);
        assertEquals(PingEncoder.PACKET_LENGTH, PingEncoder.encode(dst, type));
        return dst.array();
    }
}
