package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Rebuilds a file queue's {@link SequenceIndex} from its segments when it opens: replays every valid record
 * in order, cuts a torn tail off the newest segment, and reports every corrupt record, unreadable segment and
 * lost message in the {@link RecoveryReport}. Runs once, on the opening thread; allocates freely.
 */
final class LogRecovery {
    private final SegmentLog log;
    private final SequenceIndex index;
    private final QueueCounters counters;
    private final RecoveryReport report = new RecoveryReport();
    private boolean started;

    LogRecovery(SegmentLog log, SequenceIndex index, QueueCounters counters) {
        this.log = log;
        this.index = index;
        this.counters = counters;
    }

    RecoveryReport run(File directory) throws IOException {
        File[] files = directory.listFiles((dir, name) -> name.endsWith(".seg"));
        if (files == null) {
            throw new IOException("cannot list the queue directory " + directory);
        }
        Arrays.sort(files); // names are zero-padded segment numbers
        for (int i = 0; i < files.length; i++) {
            readSegment(files[i], i == files.length - 1);
        }
        if (!started) {
            index.reset(0);
        }
        if (log.segmentCount() == 0) {
            log.startSegment(index.tail());
        }
        int inflight = 0;
        for (long s = index.checkpoint(); s < index.tail(); s++) {
            byte state = index.state(s);
            inflight += state == SequenceIndex.SENT || state == SequenceIndex.RELEASED ? 1 : 0;
        }
        report.recovered(index.live(), inflight, index.tail());
        return report;
    }

    private void readSegment(File file, boolean newest) throws IOException {
        long number;
        try {
            number = Long.parseLong(file.getName().substring(0, file.getName().length() - 4));
        } catch (NumberFormatException e) {
            report.problem("ignored " + file + ": not a segment name");
            return;
        }
        Segment segment = log.open(number, file);
        ByteBuffer data = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, file.length()));
        segment.read(data, 0);
        data.flip();
        report.segmentRead();
        long first = LogRecord.firstSequence(data);
        if (first < 0) {
            segment.close();
            if (newest && data.limit() < LogRecord.SEGMENT_HEADER && file.delete()) {
                report.truncated(data.limit(), file.getName() + ", a segment whose header was being written");
            } else {
                setAside(file, data.limit());
            }
            return;
        }
        if (!started) {
            index.reset(first);
            started = true;
        } else if (first > index.tail()) {
            lose(index.tail(), first, "before " + file.getName());
        }
        segment.truncate(scan(data, number, file, newest));
        log.adopt(segment);
    }

    /** A segment without a valid header cannot be read or appended to: keep it for inspection, out of the way. */
    private void setAside(File file, long bytes) {
        File aside = new File(file.getPath() + ".corrupt");
        boolean moved = file.renameTo(aside);
        report.corrupt(bytes, file + " has no valid segment header: " + bytes + " bytes unreadable, "
                + (moved ? "moved to " + aside.getName() : "left in place"));
    }

    /** @return the length of the segment's valid content (shorter than the file after a torn tail) */
    private int scan(ByteBuffer data, long number, File file, boolean newest) {
        int at = LogRecord.SEGMENT_HEADER;
        while (at < data.limit()) {
            int length = LogRecord.validLength(data, at);
            if (length > 0) {
                apply(data, at, number << 32 | at);
                at += length;
                continue;
            }
            int next = resync(data, at + 1);
            if (next < 0 && newest) {
                report.truncated(data.limit() - at, file.getName() + " at offset " + at);
                return at;
            }
            int end = next < 0 ? data.limit() : next;
            report.corrupt(end - at, file.getName() + ": " + (end - at) + " corrupt bytes at offset " + at
                    + " skipped (CRC-32C or length check failed)");
            at = end;
        }
        return data.limit();
    }

    /** @return the first offset from {@code from} holding a valid record, or -1 */
    private static int resync(ByteBuffer data, int from) {
        for (int at = from; at <= data.limit() - LogRecord.RECORD_HEADER - LogRecord.BODY_MIN; at++) {
            if (LogRecord.validLength(data, at) > 0) {
                return at;
            }
        }
        return -1;
    }

    private void apply(ByteBuffer data, int at, long address) {
        int body = at + LogRecord.RECORD_HEADER;
        byte type = data.get(body);
        long sequence = data.getLong(body + 1);
        if (type == LogRecord.PUBLISH || type == LogRecord.DONE) {
            if (sequence > index.tail()) {
                lose(index.tail(), sequence, "at " + (address >>> 32) + ":" + at);
            }
            if (sequence == index.tail()) {
                addPublish(data, at, address, type == LogRecord.DONE);
                return;
            }
        }
        if (!index.contains(sequence) || index.state(sequence) == SequenceIndex.DONE) {
            return; // about a record completed long ago, in a segment already deleted
        }
        if (type == LogRecord.SENT) {
            index.packetId(sequence, data.getShort(body + LogRecord.BODY_MIN) & 0xFFFF);
            index.state(sequence, SequenceIndex.SENT);
        } else if (type == LogRecord.RELEASED) {
            index.state(sequence, SequenceIndex.RELEASED);
        } else if (type == LogRecord.DONE) {
            index.state(sequence, SequenceIndex.DONE);
        } else if (type != LogRecord.PUBLISH) {
            report.problem("unknown record type " + type + " for message " + sequence + " ignored");
        }
    }

    /** A PUBLISH record, or a DONE that stands for a message dropped as it arrived (DROP_NEWEST). */
    private void addPublish(ByteBuffer data, int at, long address, boolean droppedOnArrival) {
        if (droppedOnArrival) {
            index.add(0, 0, 0, 0);
            index.state(index.tail() - 1, SequenceIndex.DONE);
            return;
        }
        int body = at + LogRecord.RECORD_HEADER;
        int packetLength = data.getInt(at) - LogRecord.PUBLISH_PREFIX;
        int qos = (data.get(body + LogRecord.PUBLISH_PREFIX) >>> 1) & 0b11;
        index.add(address, packetLength, data.getLong(body + LogRecord.BODY_MIN), qos);
    }

    /** Sequences {@code from} to {@code to} - 1 have no record left: count and report each one. */
    private void lose(long from, long to, String where) {
        for (long s = from; s < to; s++) {
            index.add(0, 0, 0, 0);
            index.state(s, SequenceIndex.DONE);
            counters.drop(s, DropCause.CORRUPT);
        }
        report.lost(to - from, "messages " + from + ".." + (to - 1) + " lost to corruption (" + where + ")");
    }
}
