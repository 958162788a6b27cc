package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Locale;

/**
 * One segment file of the file queue: an append-only channel and its write position. Not thread-safe: the
 * queue calls it under its lock.
 */
final class Segment {
    private final long number;
    private final File file;
    private final FileChannel channel;
    private long size;

    Segment(long number, File file, FileChannel channel, long size) {
        this.number = number;
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    static File fileFor(File directory, long number) {
        return new File(directory, String.format(Locale.ROOT, "%020d.seg", number)); // ASCII digits, sortable
    }

    long number() {
        return number;
    }

    File file() {
        return file;
    }

    long size() {
        return size;
    }

    /**
     * Appends {@code record} (position to limit) at the end. On failure the segment is cut back to where it
     * was, so a half-written record never stays behind a working queue.
     *
     * @return the offset the record starts at
     */
    long append(ByteBuffer record) throws IOException {
        long at = size;
        long position = at;
        try {
            while (record.hasRemaining()) {
                position += channel.write(record, position);
            }
        } catch (IOException e) {
            cutBack(at, e);
            throw e;
        }
        size = position;
        return at;
    }

    private void cutBack(long at, IOException cause) {
        try {
            channel.truncate(at);
        } catch (IOException e) {
            cause.addSuppressed(e); // recovery truncates the torn tail on the next open
        }
    }

    /** Fills {@code dst} (position to limit) from {@code offset}. */
    void read(ByteBuffer dst, long offset) throws IOException {
        long position = offset;
        while (dst.hasRemaining()) {
            int read = channel.read(dst, position);
            if (read < 0) {
                throw new IOException(file + " ends at " + position + ", inside a record");
            }
            position += read;
        }
    }

    /** Cuts the file to {@code length} bytes (recovery of a torn tail). */
    void truncate(long length) throws IOException {
        channel.truncate(length);
        size = length;
    }

    void force() throws IOException {
        channel.force(false);
    }

    void close() throws IOException {
        channel.close();
    }
}
