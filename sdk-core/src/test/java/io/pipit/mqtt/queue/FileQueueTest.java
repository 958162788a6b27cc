package io.pipit.mqtt.queue;

import static io.pipit.mqtt.queue.QueueTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file queue keeps every record until it is completed, across reopening, and reclaims segments. */
class FileQueueTest {
    @TempDir
    File dir;
    private final QueueTestSupport.ManualClock clock = new QueueTestSupport.ManualClock();
    private final QueueTestSupport.Drops drops = new QueueTestSupport.Drops();
    private final ByteBuffer out = ByteBuffer.allocate(256);

    private QueueOptions options() {
        return new QueueOptions().clock(clock).dropListener(drops).segmentBytes(4096);
    }

    private int pollId(OutboundQueue queue) {
        return QueueTestSupport.pollId(queue, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EVERY_RECORD", "INTERVAL", "NONE"})
    void shouldKeepRecordsNotCompletedAcrossReopening(String fsync) throws IOException {
        FsyncPolicy policy = fsync.equals("EVERY_RECORD") ? FsyncPolicy.EVERY_RECORD
                : fsync.equals("NONE") ? FsyncPolicy.NONE : FsyncPolicy.interval(10);
        try (FileQueue queue = FileQueue.open(dir, options().fsync(policy))) {
            for (int id = 0; id < 10; id++) {
                assertEquals(id, queue.offer(publish(id)));
            }
            for (int id = 0; id < 4; id++) {
                assertEquals(id, pollId(queue));
                queue.sent(id, 100 + id);
            }
            queue.completed(2); // out of order: the checkpoint stays at 0
            queue.completed(0);
            assertEquals(6, queue.size());
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertTrue(queue.recoveryReport().isClean(), queue.recoveryReport().toString());
            assertEquals(8, queue.recoveryReport().messages());
            assertEquals(0, queue.recover((s, id, released, packet) -> true), "QoS 1 is simply sent again");
            assertEquals(Arrays.asList(1, 3, 4, 5, 6, 7, 8, 9), QueueTestSupport.drain(queue, out));
            assertEquals(10, queue.offer(publish(10)), "sequence numbers continue");
        }
    }

    @Test
    void shouldHandBackQos2InFlightWithItsPacketIdentifierAndPubrecState() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            for (int id = 0; id < 4; id++) {
                queue.offer(publish(id, 2, -1));
            }
            for (int id = 0; id < 3; id++) {
                pollId(queue);
                queue.sent(id, 11 + id);
            }
            queue.released(1);
            queue.completed(2);
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertEquals(2, queue.recoveryReport().inflight());
            List<String> handed = new ArrayList<>();
            queue.recover((sequence, packetId, released, packet) -> {
                handed.add(sequence + "/" + packetId + "/" + released + "/" + packet.getInt(packet.limit() - 4));
                return true;
            });
            assertEquals(Arrays.asList("0/11/false/0", "1/12/true/1"), handed);
            assertEquals(3, pollId(queue), "then the one never sent");
            assertEquals(OutboundQueue.EMPTY, queue.poll(out));
        }
    }

    @Test
    void shouldSendAgainAsNewWhatTheEnginesWindowCannotTake() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            for (int id = 0; id < 3; id++) {
                queue.offer(publish(id, 2, -1));
                pollId(queue);
                queue.sent(id, 1 + id);
            }
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            int[] room = {1};
            assertEquals(1, queue.recover((s, id, released, packet) -> room[0]-- > 0));
            assertEquals(1, pollId(queue));
            assertEquals(2, pollId(queue));
            assertEquals(OutboundQueue.EMPTY, queue.poll(out));
        }
    }

    @Test
    void shouldDeleteSegmentsOnceEverythingInThemIsCompleted() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            for (int id = 0; id < 500; id++) {
                queue.offer(publish(id));
            }
            assertTrue(segmentFiles() > 4, "records spread over several 4 KB segments: " + segmentFiles());
            for (int id = 0; id < 500; id++) {
                assertEquals(id, pollId(queue));
                queue.sent(id, 1);
                if (id > 0) {
                    queue.completed(id); // all but the first: it pins every segment
                }
            }
            assertTrue(segmentFiles() > 4);
            queue.completed(0);
            assertEquals(1, segmentFiles());
            assertTrue(queue.diskBytes() < 4096, queue.diskBytes() + " bytes left");
            assertEquals(0, queue.stats(new QueueStats()).depthMessages());
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertEquals(0, queue.recoveryReport().messages());
            assertEquals(500, queue.offer(publish(500)));
        }
    }

    private int segmentFiles() {
        return dir.listFiles((d, name) -> name.endsWith(".seg")).length;
    }

    @Test
    void shouldApplyOverflowPoliciesDurably() throws IOException {
        QueueOptions newest = options().maxMessages(2).overflow(OverflowPolicy.DROP_NEWEST);
        try (FileQueue queue = FileQueue.open(dir, newest)) {
            queue.offer(publish(0));
            queue.offer(publish(1));
            assertEquals(2, queue.offer(publish(2)));
        }
        QueueOptions oldest = options().maxMessages(2).overflow(OverflowPolicy.DROP_OLDEST);
        try (FileQueue queue = FileQueue.open(dir, oldest)) {
            assertTrue(queue.recoveryReport().isClean(), "a message dropped on arrival is no gap");
            assertEquals(3, queue.offer(publish(3)));
        }
        try (FileQueue queue = FileQueue.open(dir, options().maxMessages(2).overflow(OverflowPolicy.REJECT))) {
            assertEquals(-1, queue.offer(publish(4)));
            assertEquals(1, pollId(queue));
            assertEquals(3, pollId(queue));
        }
        assertEquals(Arrays.asList("2:OVERFLOW_NEWEST", "0:OVERFLOW_OLDEST", "-1:REJECTED"), drops.seen);
    }

    @Test
    void shouldRefuseRatherThanGrowWhileTheOldestMessageStaysInFlight() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options().maxMessages(3).overflow(OverflowPolicy.DROP_OLDEST))) {
            for (int id = 0; id < 3; id++) {
                queue.offer(publish(id));
                pollId(queue);
                queue.sent(id, 1 + id);
            }
            queue.completed(1);
            queue.completed(2); // 0 stays in flight: nothing behind it can be reclaimed
            assertEquals(3, queue.offer(publish(3)));
            assertEquals(4, queue.offer(publish(4)));
            assertEquals(5, queue.offer(publish(5)), "room made by dropping 3, the oldest waiting");
            assertEquals(-1, queue.offer(publish(6)), "the index spans 6 sequences from the pinned one");
            assertEquals(Arrays.asList("3:OVERFLOW_OLDEST", "-1:REJECTED"), drops.seen);
            queue.completed(0);
            assertEquals(6, queue.offer(publish(6)), "completing the pinned one frees it all; a refusal used no number");
        }
    }

    @Test
    void shouldDropExpiredMessagesEvenAfterARestart() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            queue.offer(publish(0, 1, 2));
            queue.offer(publish(1, 1, 30));
        }
        clock.nowMs += 5_000; // the device was off for 5 s
        try (FileQueue queue = FileQueue.open(dir, options())) {
            out.clear();
            assertEquals(1, queue.poll(out));
            assertEquals(Arrays.asList("0:EXPIRED"), drops.seen);
            assertEquals(25, out.getInt(MessageExpiry.find(out.duplicate().flip())));
        }
    }

    @Test
    void shouldRefuseASecondClientOnTheSameDirectory() throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            IOException e = assertThrows(IOException.class, () -> FileQueue.open(dir, options()));
            assertTrue(e.getMessage().contains("already open by another client"), e.getMessage());
            queue.offer(publish(0));
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertEquals(1, queue.size(), "closing released the lock");
        }
    }

    @Test
    void shouldNameTheDirectoryWhenItCannotBeUsed() throws IOException {
        File file = new File(dir, "plain-file");
        assertTrue(file.createNewFile());
        IOException e = assertThrows(IOException.class, () -> FileQueue.open(file, options()));
        assertTrue(e.getMessage().contains(file.getPath()) && e.getMessage().contains("a file of that name"),
                e.getMessage());
    }

    @Test
    void shouldRefuseWhenClosed() throws IOException {
        FileQueue queue = FileQueue.open(dir, options());
        queue.close();
        queue.close();
        assertThrows(IllegalStateException.class, () -> queue.offer(publish(0)));
    }
}
