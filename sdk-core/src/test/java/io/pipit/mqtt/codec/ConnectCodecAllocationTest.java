package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.ProtocolVersion;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** CONNECT with every property, a will and credentials encodes and decodes without allocating. */
class ConnectCodecAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final ConnectView view = new ConnectView();

    @Test
    void shouldEncodeAndWrapWithoutAllocating() {
        ConnectEncoder encoder = ConnectCodecTest.fullMqtt5();
        ByteBuffer buf = ByteBuffer.allocate(encoder.encodedLength());
        roundTrips(encoder, buf, 300_000);  // warm-up: class loading, JIT and its deopts, the views' arrays growing
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        int keepAliveSum = roundTrips(encoder, buf, 100_000);
        assertEquals(0L, THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        assertEquals(100_000 * encoder.keepAliveSeconds(), keepAliveSum);  // the loop really ran
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
