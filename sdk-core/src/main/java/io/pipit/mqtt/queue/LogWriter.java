package io.pipit.mqtt.queue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the file queue's records into its {@link SegmentLog} through reused direct buffers, and forces them
 * to the disk as the {@link FsyncPolicy} asks. Allocation-free once its buffers fit the largest packet. Not
 * thread-safe: the queue calls it under its lock.
 */
final class LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueue.class);

    private final File directory;
    private final SegmentLog log;
    private final FsyncPolicy fsync;
    private final QueueClock clock;
    private final ByteBuffer state = ByteBuffer.allocateDirect(LogRecord.RECORD_HEADER + LogRecord.PUBLISH_PREFIX);
    private ByteBuffer publish = ByteBuffer.allocateDirect(4096);
    private long lastForceMs;

    LogWriter(File directory, SegmentLog log, FsyncPolicy fsync, QueueClock clock) {
        this.directory = directory;
        this.log = log;
        this.fsync = fsync;
        this.clock = clock;
        this.lastForceMs = clock.millis();
    }

    /**
     * Appends a PUBLISH record for {@code packet} (position to limit; consumed only on success).
     *
     * @return the record's address
     */
    long appendPublish(long sequence, long nowMs, ByteBuffer packet) throws IOException {
        int length = packet.remaining();
        int needed = LogRecord.RECORD_HEADER + LogRecord.PUBLISH_PREFIX + length;
        if (publish.capacity() < needed) {
            publish = ByteBuffer.allocateDirect(Math.max(needed, publish.capacity() * 2));
        }
        int expiryOffset = MessageExpiry.find(packet);
        LogRecord.begin(publish, LogRecord.PUBLISH, sequence);
        publish.putLong(nowMs).putInt(expiryOffset).put(packet);
        LogRecord.end(publish);
        try {
            long address = log.append(publish, sequence);
            force(nowMs, true);
            return address;
        } catch (IOException e) {
            packet.position(packet.limit() - length);
            throw e;
        }
    }

    /**
     * Appends a state record ({@link LogRecord#SENT}, {@link LogRecord#RELEASED} or {@link LogRecord#DONE}). A
     * failure is logged and the queue carries on in memory: after a restart the message is resent, which
     * QoS 1 allows and which for QoS 2 the broker's session answers.
     */
    void appendState(byte type, long sequence, int packetId, long nextSequence) {
        LogRecord.begin(state, type, sequence);
        if (type == LogRecord.SENT) {
            state.putShort((short) packetId);
        }
        LogRecord.end(state);
        try {
            log.append(state, nextSequence);
        } catch (IOException e) {
            LOG.warn("queue {}: cannot record the state of message {}: {}", directory, sequence, e.toString());
            return;
        }
        force(clock.millis(), type != LogRecord.DONE);
    }

    private void force(long nowMs, boolean critical) {
        if (fsync.isDue(nowMs, lastForceMs, critical)) {
            try {
                log.force();
                lastForceMs = nowMs;
            } catch (IOException e) {
                LOG.warn("queue {}: fsync failed: {}", directory, e.toString());
            }
        }
    }

    /** Forces everything appended so far, whatever the policy. */
    void sync() throws IOException {
        log.force();
        lastForceMs = clock.millis();
    }
}
