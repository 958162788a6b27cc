package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;

/**
 * Opens a {@link FileQueue}'s segment files for reading and writing, creating them when absent. The default
 * uses {@link RandomAccessFile} (Java 8 and Android 21 have no {@code java.nio.file} there); tests inject
 * channels that fail like a full disk. Called on the thread that opens the queue or appends to it.
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** Opens with {@code RandomAccessFile(file, "rw")}. */
    FileChannelFactory DEFAULT = file -> new RandomAccessFile(file, "rw").getChannel();

    /** @return a channel on {@code file}, open for reading and writing */
    FileChannel open(File file) throws IOException;
}
