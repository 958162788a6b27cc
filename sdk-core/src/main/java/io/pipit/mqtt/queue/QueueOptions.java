package io.pipit.mqtt.queue;

/**
 * Settings for a {@link MemoryQueue} or a {@link FileQueue}: bounds, overflow policy, drop listener, QoS 0
 * handling, and for the file queue its fsync policy, segment size and file opener. Not thread-safe: fill it
 * on one thread, then hand it to the queue, which reads it when it is created.
 *
 * <p>Defaults: 4 MB and 100,000 messages, {@link OverflowPolicy#REJECT}, no listener, QoS 0 queued while
 * offline, fsync every 100 ms ({@link FsyncPolicy#interval}), 4 MB segments.
 */
public final class QueueOptions {
    private long maxBytes = 4L * 1024 * 1024;
    private int maxMessages = 100_000;
    private OverflowPolicy overflow = OverflowPolicy.REJECT;
    private DropListener dropListener = (sequence, cause) -> { };
    private boolean excludeQos0Offline;
    private QueueClock clock = QueueClock.SYSTEM;
    private FsyncPolicy fsync = FsyncPolicy.interval(100);
    private int segmentBytes = 4 * 1024 * 1024;
    private FileChannelFactory channelFactory = FileChannelFactory.DEFAULT;

    /** Most bytes of encoded packets held (for the memory queue: its ring, 24 bytes of bookkeeping each). */
    public QueueOptions maxBytes(long bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("a queue needs at least 64 bytes: " + bytes);
        }
        this.maxBytes = bytes;
        return this;
    }

    /** Most messages held. */
    public QueueOptions maxMessages(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a queue needs room for at least 1 message: " + count);
        }
        this.maxMessages = count;
        return this;
    }

    public QueueOptions overflow(OverflowPolicy policy) {
        this.overflow = require(policy, "overflow policy");
        return this;
    }

    /** Hears of every drop and refusal; see {@link DropListener} for its thread and rules. */
    public QueueOptions dropListener(DropListener listener) {
        this.dropListener = require(listener, "drop listener");
        return this;
    }

    /** When true, QoS 0 messages published while the client is not connected are dropped, not queued. */
    public QueueOptions excludeQos0Offline(boolean exclude) {
        this.excludeQos0Offline = exclude;
        return this;
    }

    /** The clock for message ages, Message Expiry and the fsync interval (tests use a virtual one). */
    public QueueOptions clock(QueueClock queueClock) {
        this.clock = require(queueClock, "clock");
        return this;
    }

    /** File queue only: when appended records are forced to the disk. */
    public QueueOptions fsync(FsyncPolicy policy) {
        this.fsync = require(policy, "fsync policy");
        return this;
    }

    /** File queue only: the size at which a segment file is closed and the next one started. */
    public QueueOptions segmentBytes(int bytes) {
        if (bytes < 4096) {
            throw new IllegalArgumentException("segments need at least 4096 bytes: " + bytes);
        }
        this.segmentBytes = bytes;
        return this;
    }

    /** File queue only: how segment files are opened (tests inject failing channels to simulate a full disk). */
    public QueueOptions channelFactory(FileChannelFactory factory) {
        this.channelFactory = require(factory, "channel factory");
        return this;
    }

    long maxBytes() {
        return maxBytes;
    }

    int maxMessages() {
        return maxMessages;
    }

    OverflowPolicy overflow() {
        return overflow;
    }

    DropListener dropListener() {
        return dropListener;
    }

    boolean excludeQos0Offline() {
        return excludeQos0Offline;
    }

    QueueClock clock() {
        return clock;
    }

    FsyncPolicy fsync() {
        return fsync;
    }

    int segmentBytes() {
        return segmentBytes;
    }

    FileChannelFactory channelFactory() {
        return channelFactory;
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("the " + what + " may not be null");
        }
        return value;
    }
}
