package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that behaves like a disk with {@code room} bytes left across every channel sharing it: a
 * write past that fails with "No space left on device" after writing what fit, as a full disk does.
 */
final class FailingChannel extends FileChannel {
    private final FileChannel file;
    private final AtomicLong room;

    private FailingChannel(FileChannel file, AtomicLong room) {
        this.file = file;
        this.room = room;
    }

    /** @return a factory whose channels share {@code room} bytes of disk */
    static FileChannelFactory factory(AtomicLong room) {
        return f -> new FailingChannel(new RandomAccessFile(f, "rw").getChannel(), room);
    }


    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int allowed = (int) Math.min(src.remaining(), Math.max(0, room.get()));
        if (allowed < src.remaining()) {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + allowed);
            int written = file.write(part, position);
            src.position(src.position() + written);
            room.addAndGet(-written);
            throw new IOException("No space left on device");
        }
        int written = file.write(src, position);
        room.addAndGet(-written);
        return written;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return write(src, file.position());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new IOException("not used by the queue");
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("not used by the queue");
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw new IOException("not used by the queue");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
