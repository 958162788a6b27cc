package io.pipit.mqtt.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CRC-32C against the published check value and the RFC 3720 (iSCSI) test vectors. */
class Crc32cTest {
    private static int crc(byte[] bytes) {
        return Crc32c.of(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    @Test
    void shouldMatchTheCatalogueCheckValue() {
        assertEquals(0xE3069283, crc("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldMatchTheRfc3720Vectors() {
        byte[] bytes = new byte[32];
        assertEquals(0x8A9136AA, crc(bytes), "32 bytes of zeros");
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        assertEquals(0x62A8AB43, crc(bytes), "32 bytes of ones");
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) i;
        }
        assertEquals(0x46DD794E, crc(bytes), "32 incrementing bytes");
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) (31 - i);
        }
        assertEquals(0x113FDB5C, crc(bytes), "32 decrementing bytes");
    }

    @Test
    void shouldReadOnlyTheGivenRangeOfADirectBuffer() {
        ByteBuffer buf = ByteBuffer.allocateDirect(20);
        buf.put(5, (byte) '1').put(6, (byte) '2').put(7, (byte) '3').put(8, (byte) '4').put(9, (byte) '5')
                .put(10, (byte) '6').put(11, (byte) '7').put(12, (byte) '8').put(13, (byte) '9');
        assertEquals(0xE3069283, Crc32c.of(buf, 5, 14));
        assertEquals(0, buf.position());
    }
}
