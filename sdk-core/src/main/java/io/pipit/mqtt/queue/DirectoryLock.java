package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * An exclusive lock on a queue directory (a {@link FileLock} on its {@code lock} file), so two clients, in
 * one process or two, never append to one log. The operating system drops it if the process dies. Not
 * thread-safe: owned by one queue.
 */
final class DirectoryLock {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException naming the directory when another queue holds it, or the lock file cannot be made */
    static DirectoryLock acquire(File directory) throws IOException {
        FileChannel channel = new RandomAccessFile(new File(directory, "lock"), "rw").getChannel();
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another queue in this process
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the queue directory " + directory + " is already open by another client"
                    + " (its lock file is held); each client needs its own directory");
        }
        return new DirectoryLock(channel, lock);
    }

    void release() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
