package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** CONNECT with every property, a will and credentials encodes and decodes without allocating. */
class ConnectCodecAllocationTest {
    private final ConnectView view = new ConnectView();

    @Test
    void shouldEncodeAndWrapWithoutAllocating() {
        ConnectEncoder encoder = ConnectCodecTest.fullMqtt5();
        ByteBuffer buf = ByteBuffer.allocate(encoder.encodedLength());
        roundTrips(encoder, buf, 300_000);  // warm-up: class loading, JIT and its deopts, the views' arrays growing
        AllocationMeter meter = new AllocationMeter(3);
        assertEquals(0L, meter.leastBytesPerRound(() -> roundTrips(encoder, buf, 100_000)));
        assertEquals(100_000 * encoder.keepAliveSeconds(), meter.lastChecksum());  // the loop really ran
    }

    private int roundTrips(ConnectEncoder encoder, ByteBuffer buf, int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            buf.clear();
            int length = encoder.encode(buf);
            long header = FixedHeader.read(buf, 0, length, length);
            view.wrap(buf, 0, FixedHeader.headerLength(header), FixedHeader.remainingLength(header),
                    ProtocolVersion.MQTT_5);
            sum += view.keepAliveSeconds();
        }
        return sum;
    }
}
