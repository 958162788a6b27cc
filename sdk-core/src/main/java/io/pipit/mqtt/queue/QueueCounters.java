package io.pipit.mqtt.queue;

import java.nio.ByteBuffer;

/**
 * The drop counters and policy checks both queues share: one count per {@link DropCause}, each drop handed
 * to the {@link DropListener}. Not thread-safe: the owning queue calls it under its lock.
 */
final class QueueCounters {
    private final long[] drops = new long[DropCause.values().length];
    private final QueueOptions options;
    private boolean online;

    QueueCounters(QueueOptions options) {
        this.options = options;
    }

    QueueOptions options() {
        return options;
    }

    void online(boolean connected) {
        online = connected;
    }

    /** Counts and reports one drop. */
    void drop(long sequence, DropCause cause) {
        drops[cause.ordinal()]++;
        options.dropListener().onDropped(sequence, cause);
    }

    long count(DropCause cause) {
        return drops[cause.ordinal()];
    }

    /** @return true when {@code packet} is a QoS 0 PUBLISH that must not be queued now (and counts it) */
    boolean refuseQos0(ByteBuffer packet) {
        if (online || !options.excludeQos0Offline() || ((packet.get(packet.position()) >>> 1) & 0b11) != 0) {
            return false;
        }
        drop(-1, DropCause.QOS0_OFFLINE);
        return true;
    }

    /** @return the sum of refusals: what {@link OutboundQueue#rejectedCount()} reports */
    long refusals() {
        return count(DropCause.REJECTED) + count(DropCause.QOS0_OFFLINE) + count(DropCause.STORAGE_ERROR);
    }

    void fill(QueueStats into, int messages, long bytes, long oldestMs, long nowMs) {
        into.fill(messages, bytes, messages == 0 ? 0 : nowMs - oldestMs, drops);
    }
}
