package io.pipit.mqtt.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What opening a {@link FileQueue} found on disk: how many messages it recovered (waiting and in flight),
 * the torn tail it cut off, and every problem it met, in words. Nothing is skipped silently: a corrupt
 * record or segment is named here, logged, and each message it cost is counted as {@link DropCause#CORRUPT}.
 * Immutable once the queue is open; thread-safe to read.
 */
public final class RecoveryReport {
    private final List<String> problems = new ArrayList<>();
    private int segments;
    private int messages;
    private int inflight;
    private long truncatedBytes;
    private long corruptBytes;
    private long lostMessages;
    private long nextSequence;

    RecoveryReport() {
    }

    /** @return the segment files read */
    public int segments() {
        return segments;
    }

    /** @return messages recovered that were not completed (waiting or in flight) */
    public int messages() {
        return messages;
    }

    /** @return of those, QoS 2 messages a previous run had sent and not seen completed */
    public int inflight() {
        return inflight;
    }

    /** @return the sequence number the next message offered gets (numbering continues across restarts) */
    public long nextSequence() {
        return nextSequence;
    }

    /** @return bytes cut from the end of the newest segment: a record the previous run did not finish writing */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** @return bytes that failed their CRC-32C or did not parse, in the middle of the log */
    public long corruptBytes() {
        return corruptBytes;
    }

    /** @return messages known to be lost to corruption (their sequence numbers are missing) */
    public long lostMessages() {
        return lostMessages;
    }

    /** @return true when the log was intact (a truncated torn tail still counts as a problem) */
    public boolean isClean() {
        return problems.isEmpty();
    }

    /** @return each problem met, in words */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    void segmentRead() {
        segments++;
    }

    void recovered(int messageCount, int inflightCount, long next) {
        messages = messageCount;
        inflight = inflightCount;
        nextSequence = next;
    }

    void truncated(long bytes, String where) {
        truncatedBytes += bytes;
        problems.add("torn tail: cut " + bytes + " bytes from " + where);
    }

    void corrupt(long bytes, String what) {
        corruptBytes += bytes;
        problems.add(what);
    }

    void lost(long count, String what) {
        lostMessages += count;
        problems.add(what);
    }

    void problem(String what) {
        problems.add(what);
    }

    @Override
    public String toString() {
        return "recovered " + messages + " messages (" + inflight + " in flight) from " + segments + " segments"
                + (problems.isEmpty() ? "" : "; problems: " + problems);
    }
}
