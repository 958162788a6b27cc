package io.pipit.mqtt.queue;

import static io.pipit.mqtt.queue.QueueTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Overflow policies, Message Expiry, QoS 0 exclusion and statistics of the memory queue. */
class MemoryQueuePolicyTest {
    private final QueueTestSupport.ManualClock clock = new QueueTestSupport.ManualClock();
    private final QueueTestSupport.Drops drops = new QueueTestSupport.Drops();
    private final ByteBuffer out = ByteBuffer.allocate(256);

    private MemoryQueue queue(OverflowPolicy policy, int maxMessages) {
        return new MemoryQueue(new QueueOptions().maxMessages(maxMessages).overflow(policy).dropListener(drops)
                .clock(clock));
    }

    private int pollId(OutboundQueue queue) {
        return QueueTestSupport.pollId(queue, out);
    }

    @Test
    void shouldDropTheOldestWaitingMessageWhenFullUnderDropOldest() {
        MemoryQueue queue = queue(OverflowPolicy.DROP_OLDEST, 3);
        for (int id = 0; id < 5; id++) {
            assertEquals(id, queue.offer(publish(id)));
        }
        assertEquals(Arrays.asList("0:OVERFLOW_OLDEST", "1:OVERFLOW_OLDEST"), drops.seen);
        assertEquals(2, pollId(queue));
        assertEquals(3, pollId(queue));
        assertEquals(4, pollId(queue));
        assertEquals(OutboundQueue.EMPTY, queue.poll(out));
        assertEquals(2, queue.stats(new QueueStats()).drops(DropCause.OVERFLOW_OLDEST));
    }

    @Test
    void shouldNumberAndReportTheNewMessageUnderDropNewest() {
        MemoryQueue queue = queue(OverflowPolicy.DROP_NEWEST, 2);
        assertEquals(0, queue.offer(publish(0)));
        assertEquals(1, queue.offer(publish(1)));
        assertEquals(2, queue.offer(publish(2)), "the publisher is not refused");
        assertEquals(Arrays.asList("2:OVERFLOW_NEWEST"), drops.seen);
        assertEquals(0, pollId(queue));
        assertEquals(1, pollId(queue));
        assertEquals(OutboundQueue.EMPTY, queue.poll(out));
    }

    @Test
    void shouldRefuseWithMinusOneUnderRejectAndAlsoWhenAPacketCouldNeverFit() {
        MemoryQueue queue = queue(OverflowPolicy.REJECT, 1);
        assertEquals(0, queue.offer(publish(0)));
        assertEquals(-1, queue.offer(publish(1)));
        assertEquals(-1, new MemoryQueue(new QueueOptions().maxBytes(64).dropListener(drops)
                .overflow(OverflowPolicy.DROP_OLDEST)).offer(ByteBuffer.allocate(100)), "larger than the ring");
        assertEquals(Arrays.asList("-1:REJECTED", "-1:REJECTED"), drops.seen);
        assertEquals(1, queue.rejectedCount());
    }

    @Test
    void shouldDropExpiredMessagesAtSendTimeAndLowerTheIntervalOfTheOthers() {
        MemoryQueue queue = queue(OverflowPolicy.REJECT, 10);
        queue.offer(publish(0, 1, 5)); // expires 5 s after queueing
        queue.offer(publish(1, 1, 60));
        queue.offer(publish(2, 1, -1)); // never expires
        clock.nowMs += 7_500;
        out.clear();
        assertEquals(1, queue.poll(out), "record 0 expired while it waited");
        assertEquals(Arrays.asList("0:EXPIRED"), drops.seen);
        int at = MessageExpiry.find(out.duplicate().flip());
        assertEquals(60 - 7, out.getInt(at), "spec 3.3.2.3.3: lowered by the whole seconds waited");
        assertEquals(2, pollId(queue));
        assertEquals(1, queue.stats(new QueueStats()).drops(DropCause.EXPIRED));
    }

    @Test
    void shouldDropQos0PublishedWhileOfflineOnlyWhenAskedTo() {
        MemoryQueue keeping = queue(OverflowPolicy.REJECT, 10);
        assertEquals(0, keeping.offer(publish(0, 0, -1)));
        MemoryQueue excluding = new MemoryQueue(new QueueOptions().excludeQos0Offline(true).dropListener(drops));
        assertEquals(-1, excluding.offer(publish(0, 0, -1)));
        assertEquals(0, excluding.offer(publish(1, 1, -1)), "QoS 1 is queued while offline");
        excluding.connected(true);
        assertEquals(1, excluding.offer(publish(2, 0, -1)), "online, QoS 0 passes through the queue");
        assertEquals(Arrays.asList("-1:QOS0_OFFLINE"), drops.seen);
    }

    @Test
    void shouldReportDepthBytesAndTheOldestMessagesAge() {
        MemoryQueue queue = queue(OverflowPolicy.REJECT, 10);
        QueueStats stats = queue.stats(new QueueStats());
        assertEquals(0, stats.depthMessages());
        assertEquals(0, stats.oldestAgeMs());
        int length = publish(0).remaining();
        queue.offer(publish(0));
        clock.nowMs += 300;
        queue.offer(publish(1));
        clock.nowMs += 200;
        queue.stats(stats);
        assertEquals(2, stats.depthMessages());
        assertEquals(2L * length, stats.depthBytes());
        assertEquals(500, stats.oldestAgeMs());
        pollId(queue);
        assertEquals(200, queue.stats(stats).oldestAgeMs());
        assertTrue(stats.toString().contains("1 messages"), stats.toString());
    }
}
