package io.pipit.mqtt.queue;

/**
 * A snapshot of a queue's figures, filled by {@link OutboundQueue#stats}. Reuse one instance to read them
 * without allocating. Not thread-safe: one reader at a time.
 */
public final class QueueStats {
    private final long[] drops = new long[DropCause.values().length];
    private int depthMessages;
    private long depthBytes;
    private long oldestAgeMs;

    /**
     * @return messages the queue holds: for a {@link MemoryQueue} those waiting to be sent; for a
     *     {@link FileQueue} those not yet completed, in flight included (they stay on disk until acknowledged)
     */
    public int depthMessages() {
        return depthMessages;
    }

    /** @return bytes of the encoded packets counted by {@link #depthMessages()} */
    public long depthBytes() {
        return depthBytes;
    }

    /** @return how long the oldest message counted by {@link #depthMessages()} has been queued, in ms (0: none) */
    public long oldestAgeMs() {
        return oldestAgeMs;
    }

    /** @return messages dropped or refused for {@code cause} since the queue was created or opened */
    public long drops(DropCause cause) {
        return drops[cause.ordinal()];
    }

    /** @return messages dropped or refused for any cause */
    public long totalDrops() {
        long total = 0;
        for (long count : drops) {
            total += count;
        }
        return total;
    }

    void fill(int messages, long bytes, long ageMs, long[] dropCounts) {
        depthMessages = messages;
        depthBytes = bytes;
        oldestAgeMs = Math.max(0, ageMs);
        System.arraycopy(dropCounts, 0, drops, 0, drops.length);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("queue: ").append(depthMessages).append(" messages, ")
                .append(depthBytes).append(" bytes, oldest ").append(oldestAgeMs).append(" ms");
        for (DropCause cause : DropCause.values()) {
            if (drops(cause) > 0) {
                text.append(", ").append(cause).append(' ').append(drops(cause));
            }
        }
        return text.toString();
    }
}
