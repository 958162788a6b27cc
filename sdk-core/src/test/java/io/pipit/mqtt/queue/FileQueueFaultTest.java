package io.pipit.mqtt.queue;

import static io.pipit.mqtt.queue.QueueTestSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn tails, flipped bytes and a full disk: reported, never silently skipped, and the queue keeps working. */
class FileQueueFaultTest {
    @TempDir
    File dir;
    private final QueueTestSupport.Drops drops = new QueueTestSupport.Drops();
    private final ByteBuffer out = ByteBuffer.allocate(256);

    private QueueOptions options() {
        return new QueueOptions().dropListener(drops).segmentBytes(4096);
    }

    private List<Integer> drain(OutboundQueue queue) {
        return QueueTestSupport.drain(queue, out);
    }

    private File[] segments() {
        File[] files = dir.listFiles((d, name) -> name.endsWith(".seg"));
        Arrays.sort(files);
        return files;
    }

    private void fill(int count) throws IOException {
        try (FileQueue queue = FileQueue.open(dir, options())) {
            for (int id = 0; id < count; id++) {
                queue.offer(publish(id));
            }
        }
    }

    @Test
    void shouldCutATornTailAndReportIt() throws IOException {
        fill(5);
        File last = segments()[segments().length - 1];
        long intact = last.length();
        try (RandomAccessFile file = new RandomAccessFile(last, "rw")) {
            file.seek(intact);
            file.write(new byte[] {0, 0, 0, 60, 1, 2, 3}); // a record the process died writing
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            RecoveryReport report = queue.recoveryReport();
            assertEquals(7, report.truncatedBytes());
            assertEquals(0, report.lostMessages());
            assertFalse(report.isClean());
            assertTrue(report.problems().get(0).startsWith("torn tail"), report.toString());
            assertEquals(intact, last.length(), "the torn bytes were cut off");
            assertEquals(Arrays.asList(0, 1, 2, 3, 4), drain(queue));
            assertEquals(5, queue.offer(publish(5)), "appends continue where the valid log ends");
        }
    }

    @Test
    void shouldDropASegmentKilledWhileItsHeaderWasWritten() throws IOException {
        fill(3);
        File half = Segment.fileFor(dir, 7);
        try (RandomAccessFile file = new RandomAccessFile(half, "rw")) {
            file.write(new byte[] {0x50, 0x50}); // the first bytes of a header, then the process died
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertEquals(2, queue.recoveryReport().truncatedBytes(), queue.recoveryReport().toString());
            assertFalse(half.exists());
            assertEquals(Arrays.asList(0, 1, 2), drain(queue));
        }
    }

    @Test
    void shouldReportAndCountAMessageLostToFlippedBytesInTheMiddle() throws IOException {
        fill(200); // several segments
        File first = segments()[0];
        try (RandomAccessFile file = new RandomAccessFile(first, "rw")) {
            long at = LogRecord.SEGMENT_HEADER + 3 * 50L + 30; // inside the fourth record's packet
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0xFF);
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            RecoveryReport report = queue.recoveryReport();
            assertEquals(1, report.lostMessages(), report.toString());
            assertTrue(report.corruptBytes() > 0);
            assertEquals(Arrays.asList("3:CORRUPT"), drops.seen);
            assertEquals(1, queue.stats(new QueueStats()).drops(DropCause.CORRUPT));
            List<Integer> ids = drain(queue);
            assertEquals(199, ids.size());
            assertFalse(ids.contains(3));
        }
    }

    @Test
    void shouldSetAsideASegmentWhoseHeaderIsDestroyed() throws IOException {
        fill(200);
        File first = segments()[0];
        try (RandomAccessFile file = new RandomAccessFile(first, "rw")) {
            file.write(new byte[8]);
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            RecoveryReport report = queue.recoveryReport();
            assertTrue(report.problems().get(0).contains("no valid segment header"), report.toString());
            assertTrue(new File(first.getPath() + ".corrupt").exists());
            List<Integer> ids = drain(queue);
            assertEquals(199, ids.get(ids.size() - 1));
            assertTrue(ids.size() < 200 && ids.size() > 100, "the rest survives: " + ids.size());
        }
    }

    @Test
    void shouldRefuseWithAStorageErrorWhenTheDiskIsFullAndKeepWorking() throws IOException {
        AtomicLong room = new AtomicLong(1_000);
        List<Long> accepted = new ArrayList<>();
        try (FileQueue queue = FileQueue.open(dir, options().channelFactory(FailingChannel.factory(room)))) {
            for (int id = 0; id < 40; id++) {
                long sequence = queue.offer(publish(id));
                if (sequence >= 0) {
                    accepted.add(sequence);
                }
            }
            assertTrue(accepted.size() > 10 && accepted.size() < 40, accepted.size() + " taken");
            assertEquals(40 - accepted.size(), queue.stats(new QueueStats()).drops(DropCause.STORAGE_ERROR));
            assertEquals(40 - accepted.size(), queue.rejectedCount());
            assertEquals(accepted.size(), drain(queue).size(), "what was taken is intact");
            room.set(1_000_000); // space freed
            assertEquals(accepted.size(), queue.offer(publish(99)), "no sequence was used by a refusal");
        }
        try (FileQueue queue = FileQueue.open(dir, options())) {
            assertTrue(queue.recoveryReport().isClean(), "a failed write left no half record: "
                    + queue.recoveryReport());
            assertEquals(accepted.size() + 1, queue.recoveryReport().messages());
        }
    }
}
