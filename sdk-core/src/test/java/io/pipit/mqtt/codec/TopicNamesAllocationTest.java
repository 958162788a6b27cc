package io.pipit.mqtt.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.testing.AllocationMeter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicNamesAllocationTest {
    private final byte[] filterArray = utf8("$share/group/sport/+/player1/#");
    private final byte[] wildFilterArray = utf8("+/tennis/#");
    private final ByteBuffer filterBuf = direct(filterArray);
    private final ByteBuffer topicBuf = direct(utf8("sport/tennis/player1/score/wimbledon"));
    private final byte[] topicArray = utf8("$SYS/tennis/x");

    @Test
    void shouldCheckAndMatchWithoutAllocating() {
        run(200_000);  // warm-up: class loading, JIT, deopts
        AllocationMeter meter = new AllocationMeter(3);
        assertEquals(0L, meter.leastBytesPerRound(() -> run(100_000)));
        assertEquals(100_000, meter.lastChecksum());  // the loop really ran, and every call gave the expected answer
    }

    /** @return how many iterations got every expected answer, so no call can be optimised away */
    private int run(int iterations) {
        int good = 0;
        for (int i = 0; i < iterations; i++) {
            final int fLength = filterArray.length;
            final int tLength = topicBuf.limit();
            final boolean ok = TopicNames.checkTopicFilter(filterBuf, 0, fLength) == TopicNames.VALID
                    && TopicNames.checkTopicFilter(wildFilterArray, 0, wildFilterArray.length) == TopicNames.VALID
                    && TopicNames.checkTopicName(topicBuf, 0, tLength) == TopicNames.VALID
                    && TopicNames.checkTopicName(topicArray, 0, topicArray.length) == TopicNames.VALID
                    && TopicNames.sharedFilterOffset(filterArray, 0, fLength) == 13
                    && TopicNames.isSharedSubscription(filterBuf, 0, fLength)
                    && TopicNames.containsWildcard(filterBuf, 0, fLength)
                    && TopicNames.matches(filterBuf, 0, fLength, topicBuf, 0, tLength)
                    && TopicNames.matches(filterArray, 0, fLength, topicBuf, 0, tLength)
                    && !TopicNames.matches(wildFilterArray, 0, wildFilterArray.length, topicArray, 0, topicArray.length)
                    && !TopicNames.describe(TopicNames.TOO_LONG).isEmpty();
            good += ok ? 1 : 0;
        }
        return good;
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).clear();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
