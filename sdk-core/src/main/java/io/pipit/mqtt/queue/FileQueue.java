package io.pipit.mqtt.queue;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash-safe {@link OutboundQueue}: a directory of append-only segment files, each record protected by a
 * CRC-32C. A record stays on disk until it is completed (acknowledged, or dropped and reported), so a process
 * kill loses nothing; QoS 2 records also keep their Packet Identifier and PUBREC state, so after a restart
 * with a persistent session the client resends the same PUBLISH (DUP set) or its PUBREL and the broker
 * delivers once. Completions may come out of order; segments below the lowest message not completed are
 * deleted whole.
 *
 * <p>Opening recovers: it replays the log, cuts a torn tail, names every corrupt record in its
 * {@link #recoveryReport()} (and counts each message lost as {@link DropCause#CORRUPT}), and holds a file lock
 * so a second client cannot open the same directory. A failing disk (full, I/O error) refuses new messages
 * with {@link DropCause#STORAGE_ERROR} and the queue keeps working with what it has.
 *
 * <p>Thread-safe: publishing threads offer while the client's I/O thread polls; each call holds the queue's
 * lock. Offering and polling allocate nothing once warm (a new segment allocates when one fills). Bounds: the
 * options' messages and bytes count what is not completed; the disk holds at most about twice that, plus two
 * segments, and the queue refuses beyond it. Close it after the client.
 *
 * <pre>{@code
 * FileQueue queue = FileQueue.open(new File("/var/lib/sensor/queue"));
 * MqttClient client = MqttClient.builder().queue(queue).cleanStart(false).sessionExpiry(1, DAYS)...build();
 * }</pre>
 */
public final class FileQueue implements OutboundQueue, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueue.class);

    private final File directory;
    private final DirectoryLock lock;
    private final SegmentLog log;
    private final SequenceIndex index;
    private final QueueCounters counters;
    private final QueueOptions options;
    private final QueueClock clock;
    private final RecoveryReport report;
    private final long diskLimit;
    private final LogWriter writer;
    private ByteBuffer readBuffer = ByteBuffer.allocateDirect(4096);
    private long cursor;
    private int waiting;
    private boolean closed;
    private boolean storageFailing;

    private FileQueue(File directory, QueueOptions options, DirectoryLock lock) throws IOException {
        this.directory = directory;
        this.options = options;
        this.lock = lock;
        this.clock = options.clock();
        this.counters = new QueueCounters(options);
        this.log = new SegmentLog(directory, options.channelFactory(), options.segmentBytes());
        int capacity = (int) Math.min((long) options.maxMessages() * 2, options.maxMessages() + 65_536L);
        this.index = new SequenceIndex(capacity);
        this.diskLimit = 2 * (options.maxBytes() + 64L * options.maxMessages()) + 2L * options.segmentBytes();
        try {
            this.report = new LogRecovery(log, index, counters).run(directory);
        } catch (IOException | RuntimeException e) {
            closeQuietly(log, e);
            throw e;
        }
        this.cursor = index.checkpoint();
        for (long s = index.checkpoint(); s < index.tail(); s++) {
            waiting += index.state(s) == SequenceIndex.WAITING ? 1 : 0;
        }
        release();
        this.writer = new LogWriter(directory, log, options.fsync(), clock);
    }

    /** Opens (creating if needed) the queue in {@code directory} with the default {@link QueueOptions}. */
    public static FileQueue open(File directory) throws IOException {
        return open(directory, new QueueOptions());
    }

    /**
     * Opens (creating if needed) the queue in {@code directory} and recovers what it holds; see
     * {@link #recoveryReport()}.
     *
     * @throws IOException naming the directory when it cannot be created or written, when another client
     *     holds it, or when reading it fails
     */
    public static FileQueue open(File directory, QueueOptions options) throws IOException {
        if (!directory.isDirectory() && !directory.mkdirs()) {
            throw new IOException("cannot create the queue directory " + directory
                    + (directory.exists() ? ": a file of that name exists" : ""));
        }
        if (!directory.canWrite()) {
            throw new IOException("the queue directory " + directory + " is not writable");
        }
        DirectoryLock lock = DirectoryLock.acquire(directory);
        try {
            FileQueue queue = new FileQueue(directory, options, lock);
            if (!queue.report.isClean()) {
                LOG.warn("queue {}: {}", directory, queue.report);
            }
            return queue;
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** @return what opening found: messages recovered, torn tail cut, corruption met */
    public RecoveryReport recoveryReport() {
        return report;
    }

    @Override
    public synchronized long offer(ByteBuffer packet) {
        checkOpen();
        if (counters.refuseQos0(packet)) {
            return -1;
        }
        int length = packet.remaining();
        if (length > options.maxBytes()) {
            counters.drop(-1, DropCause.REJECTED);
            return -1;
        }
        if (index.isFull() || log.diskBytes() >= diskLimit) {
            // the oldest message is still in flight and pins the log behind it: refuse rather than grow
            counters.drop(-1, DropCause.REJECTED);
            return -1;
        }
        while (index.live() >= options.maxMessages() || index.liveBytes() + length > options.maxBytes()) {
            if (options.overflow() == OverflowPolicy.DROP_NEWEST) {
                return dropNewest();
            }
            if (options.overflow() == OverflowPolicy.REJECT || !dropOldest()) {
                counters.drop(-1, DropCause.REJECTED);
                return -1;
            }
        }
        return append(packet, length);
    }

    private long append(ByteBuffer packet, int length) {
        long sequence = index.tail();
        long nowMs = clock.millis();
        int qos = (packet.get(packet.position()) >>> 1) & 0b11;
        long address;
        try {
            address = writer.appendPublish(sequence, nowMs, packet);
        } catch (IOException e) {
            if (!storageFailing) { // once per failing spell, not once per message
                storageFailing = true;
                LOG.warn("queue {}: cannot store messages, refusing them until the disk takes writes again: {}",
                        directory, e.toString());
            }
            counters.drop(-1, DropCause.STORAGE_ERROR);
            return -1;
        }
        if (storageFailing) {
            storageFailing = false;
            LOG.info("queue {}: storing messages again", directory);
        }
        index.add(address, length, nowMs, qos);
        waiting++;
        return sequence;
    }

    /** DROP_NEWEST: the message gets a sequence and a DONE record at once, so recovery sees no gap. */
    private long dropNewest() {
        long sequence = index.tail();
        writer.appendState(LogRecord.DONE, sequence, 0, sequence); // before the index moves: a new segment's
        index.add(0, 0, clock.millis(), 0);                         // header must name this sequence
        index.state(sequence, SequenceIndex.DONE);
        counters.drop(sequence, DropCause.OVERFLOW_NEWEST);
        return sequence;
    }

    /** @return false when no message waits (all are in flight): nothing can be dropped for room */
    private boolean dropOldest() {
        long sequence = nextWaiting();
        if (sequence < 0) {
            return false;
        }
        cursor = sequence + 1;
        waiting--;
        complete(sequence);
        counters.drop(sequence, DropCause.OVERFLOW_OLDEST);
        return true;
    }

    /** @return the oldest waiting sequence from the cursor (moving the cursor to it), or -1 */
    private long nextWaiting() {
        while (cursor < index.tail() && index.state(cursor) != SequenceIndex.WAITING) {
            cursor++;
        }
        return cursor < index.tail() ? cursor : -1;
    }

    @Override
    public synchronized long poll(ByteBuffer dst) {
        checkOpen();
        for (long sequence = nextWaiting(); sequence >= 0; sequence = nextWaiting()) {
            int length = index.length(sequence);
            if (dst.remaining() < length) {
                return NO_ROOM;
            }
            int expiryOffset;
            try {
                expiryOffset = read(sequence, length);
            } catch (IOException e) {
                LOG.error("queue {}: cannot read message {}, dropping it: {}", directory, sequence, e.toString());
                dropWaiting(sequence, DropCause.STORAGE_ERROR);
                continue;
            }
            int at = dst.position();
            dst.put(readBuffer);
            if (!MessageExpiry.expireOrAge(dst, at, expiryOffset, index.queuedMs(sequence), clock.millis())) {
                cursor++;
                waiting--;
                return sequence;
            }
            dst.position(at);
            dropWaiting(sequence, DropCause.EXPIRED);
        }
        return EMPTY;
    }

    private void dropWaiting(long sequence, DropCause cause) {
        cursor++;
        waiting--;
        complete(sequence);
        counters.drop(sequence, cause);
    }

    /** Reads the packet of {@code sequence} into {@link #readBuffer} (flipped); @return its expiry offset */
    private int read(long sequence, int length) throws IOException {
        int needed = 12 + length;
        if (readBuffer.capacity() < needed) {
            readBuffer = ByteBuffer.allocateDirect(Math.max(needed, readBuffer.capacity() * 2));
        }
        readBuffer.clear().limit(needed);
        log.read(index.address(sequence), LogRecord.RECORD_HEADER + LogRecord.BODY_MIN, readBuffer);
        readBuffer.flip();
        int expiryOffset = readBuffer.getInt(8);
        readBuffer.position(12);
        return expiryOffset;
    }

    @Override
    public synchronized void sent(long sequence, int packetId) {
        if (!index.contains(sequence) || index.state(sequence) == SequenceIndex.DONE) {
            return;
        }
        index.packetId(sequence, packetId);
        index.state(sequence, SequenceIndex.SENT);
        if (index.qos(sequence) == 2) { // a QoS 1 resend may take a new identifier: nothing to remember
            writer.appendState(LogRecord.SENT, sequence, packetId, index.tail());
        }
    }

    @Override
    public synchronized void released(long sequence) {
        if (index.contains(sequence) && index.state(sequence, SequenceIndex.RELEASED)) {
            writer.appendState(LogRecord.RELEASED, sequence, 0, index.tail());
        }
    }

    @Override
    public synchronized void completed(long sequence) {
        if (index.contains(sequence) && index.state(sequence) != SequenceIndex.DONE) {
            complete(sequence);
        }
    }

    private void complete(long sequence) {
        writer.appendState(LogRecord.DONE, sequence, 0, index.tail());
        long checkpoint = index.checkpoint();
        index.state(sequence, SequenceIndex.DONE);
        if (index.checkpoint() != checkpoint) {
            release();
        }
    }

    /** Deletes the segments wholly below the checkpoint. */
    private void release() {
        try {
            if (index.checkpoint() == index.tail()) {
                log.releaseAll();
            } else {
                log.releaseBefore(index.address(index.checkpoint()));
            }
        } catch (IOException e) {
            LOG.warn("queue {}: {}", directory, e.toString());
        }
    }

    @Override
    public synchronized int recover(InflightSink sink) {
        checkOpen();
        int accepted = 0;
        boolean full = false;
        for (long s = index.checkpoint(); s < index.tail(); s++) {
            byte state = index.state(s);
            if (state != SequenceIndex.SENT && state != SequenceIndex.RELEASED) {
                continue;
            }
            if (!full) {
                full = !handOver(sink, s, state == SequenceIndex.RELEASED);
                accepted += full ? 0 : 1;
            }
            if (full) { // no room in the engine's window: sent again as a new message
                index.state(s, SequenceIndex.WAITING);
                waiting++;
                cursor = Math.min(cursor, s);
            }
        }
        return accepted;
    }

    private boolean handOver(InflightSink sink, long sequence, boolean released) {
        try {
            read(sequence, index.length(sequence));
        } catch (IOException e) {
            LOG.error("queue {}: cannot read in-flight message {}: {}", directory, sequence, e.toString());
            return false;
        }
        ByteBuffer packet = ByteBuffer.allocate(index.length(sequence)); // once per message, at start-up
        packet.put(readBuffer).flip();
        return sink.accept(sequence, index.packetId(sequence), released, packet);
    }

    @Override
    public synchronized void connected(boolean connected) {
        counters.online(connected);
    }

    @Override
    public synchronized int size() {
        return waiting;
    }

    @Override
    public synchronized long rejectedCount() {
        return counters.refusals();
    }

    /** Fills {@code into}: depth counts every message not completed (waiting or in flight). */
    @Override
    public synchronized QueueStats stats(QueueStats into) {
        long oldest = index.live() == 0 ? 0 : index.queuedMs(index.checkpoint());
        counters.fill(into, index.live(), index.liveBytes(), oldest, clock.millis());
        return into;
    }

    /** @return the bytes of the segment files */
    public synchronized long diskBytes() {
        return log.diskBytes();
    }

    /** Forces everything appended so far to the disk, whatever the fsync policy. */
    public synchronized void sync() throws IOException {
        checkOpen();
        writer.sync();
    }

    /** Forces and closes the segment files and releases the directory lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            log.close();
        } finally {
            lock.release();
        }
    }

    private static void closeQuietly(SegmentLog log, Exception cause) {
        try {
            log.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the queue in " + directory + " is closed");
        }
    }
}
