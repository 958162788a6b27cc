package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-message acks and pings of the zero-allocation contract (DESIGN.md) allocate nothing. */
class AckAllocationTest {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64);
    private final AckView view = new AckView();

    @Test
    void shouldEncodeAndDecodeAcksAndPingsWithoutAllocating() {
        run(300_000); // warm-up: class loading, JIT, deopts
        AllocationMeter meter = new AllocationMeter(3);
        assertEquals(0L, meter.leastBytesPerRound(() -> run(100_000)));
        assertEquals(100_000, meter.lastChecksum()); // the loop really ran, and every round trip gave back what went in
    }

    /** @return how many iterations round-tripped correctly, so no call can be optimised away */
    private int run(int iterations) {
        int good = 0;
        for (int i = 0; i < iterations; i++) {
            final int packetId = 1 + (i & 0x7FFF);
            final boolean ok = ack(PacketType.PUBACK, ProtocolVersion.MQTT_5, packetId, 0x00)
                    && ack(PacketType.PUBACK, ProtocolVersion.MQTT_5, packetId, 0x10)
                    && ack(PacketType.PUBREL, ProtocolVersion.MQTT_5, packetId, 0x00)
                    && ack(PacketType.PUBREL, ProtocolVersion.MQTT_5, packetId, 0x92)
                    && ack(PacketType.PUBREL, ProtocolVersion.MQTT_3_1_1, packetId, 0x00)
                    && ping();
            good += ok ? 1 : 0;
        }
        return good;
    }

    private boolean ack(int type, ProtocolVersion version, int packetId, int code) {
        buffer.clear();
        final int length = AckEncoder.encode(buffer, type, version, packetId, code, null);
        final int first = buffer.get(0) & 0xFF;
        view.wrap(first >>> 4, buffer, first & 0x0F, 2, length - 2, version);
        return length == AckEncoder.encodedLength(type, version, code, null) && view.type() == type
                && view.packetId() == packetId && view.reasonCode() == code;
    }

    private boolean ping() {
        buffer.clear();
        final int length = PingEncoder.encode(buffer, PacketType.PINGREQ);
        final long header = FixedHeader.read(buffer, 0, length, FixedHeader.MAX_PACKET_SIZE);
        return FixedHeader.remainingLength(header) == 0 && (buffer.get(0) & 0xFF) >>> 4 == PacketType.PINGREQ;
    }
}
