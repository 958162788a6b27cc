package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The file queue's directory of segment files, oldest first; only the newest takes appends. A record's
 * address is {@code segment number << 32 | offset}. Segments are deleted whole once everything in them is
 * completed. Not thread-safe: the queue calls it under its lock.
 */
final class SegmentLog {
    private final File directory;
    private final FileChannelFactory factory;
    private final int segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private final ByteBuffer header = ByteBuffer.allocate(LogRecord.SEGMENT_HEADER);

    SegmentLog(File directory, FileChannelFactory factory, int segmentBytes) {
        this.directory = directory;
        this.factory = factory;
        this.segmentBytes = segmentBytes;
    }

    /** Adds a recovered segment (in order). */
    void adopt(Segment segment) {
        segments.add(segment);
    }

    Segment open(long number, File file) throws IOException {
        return new Segment(number, file, factory.open(file), 0);
    }

    /** Starts a new newest segment whose first record will have {@code firstSequence}. */
    void startSegment(long firstSequence) throws IOException {
        long number = segments.isEmpty() ? 0 : active().number() + 1;
        File file = Segment.fileFor(directory, number);
        Segment segment = new Segment(number, file, factory.open(file), 0);
        try {
            segment.truncate(0); // a leftover file of that name holds nothing of ours
            LogRecord.header(header, firstSequence);
            segment.append(header);
        } catch (IOException e) {
            segment.close();
            if (!file.delete()) {
                e.addSuppressed(new IOException("cannot delete " + file));
            }
            throw e;
        }
        if (!segments.isEmpty()) {
            active().force(); // a full segment is made durable once, as it is closed for appends
        }
        segments.add(segment);
    }

    private Segment active() {
        return segments.get(segments.size() - 1);
    }

    /**
     * Appends {@code record}, starting a new segment first when the newest would grow past the segment size.
     *
     * @param nextSequence the sequence the next published record gets (for a new segment's header)
     * @return the record's address
     */
    long append(ByteBuffer record, long nextSequence) throws IOException {
        if (segments.isEmpty() || (active().size() + record.remaining() > segmentBytes
                && active().size() > LogRecord.SEGMENT_HEADER)) {
            startSegment(nextSequence);
        }
        Segment segment = active();
        return segment.number() << 32 | segment.append(record);
    }

    /** Fills {@code dst} (position to limit) from {@code offset} bytes into the record at {@code address}. */
    void read(long address, int offset, ByteBuffer dst) throws IOException {
        long number = address >>> 32;
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).number() == number) {
                segments.get(i).read(dst, (address & 0xFFFF_FFFFL) + offset);
                return;
            }
        }
        throw new IOException("segment " + number + " of " + directory + " is gone");
    }

    /** Deletes every segment older than the one holding {@code address}, except the newest. */
    int releaseBefore(long address) throws IOException {
        long number = address >>> 32;
        int released = 0;
        while (segments.size() > 1 && segments.get(0).number() < number) {
            Segment oldest = segments.remove(0);
            oldest.close();
            if (!oldest.file().delete()) {
                throw new IOException("cannot delete the completed segment " + oldest.file());
            }
            released++;
        }
        return released;
    }

    /** Deletes every segment but the newest: all records are completed. */
    int releaseAll() throws IOException {
        return releaseBefore((active().number()) << 32);
    }

    /** @return the bytes of all segment files */
    long diskBytes() {
        long total = 0;
        for (int i = 0; i < segments.size(); i++) {
            total += segments.get(i).size();
        }
        return total;
    }

    int segmentCount() {
        return segments.size();
    }

    /** Forces the newest segment (older ones were forced when they filled). */
    void force() throws IOException {
        if (!segments.isEmpty()) {
            active().force();
        }
    }

    void close() throws IOException {
        IOException failure = null;
        for (Segment segment : segments) {
            try {
                segment.force();
                segment.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        segments.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
