package io.pipit.mqtt.queue;

/**
 * When a {@link FileQueue} forces its appends to the disk. A process kill loses nothing under any policy
 * (every record is written to the operating system before the call returns); the policy decides what a
 * power loss or kernel crash may take. Immutable; thread-safe.
 */
public final class FsyncPolicy {
    /** Force every published record, and every QoS 2 state change, before the call returns. */
    public static final FsyncPolicy EVERY_RECORD = new FsyncPolicy(0);
    /** Never force (the operating system writes back when it likes); closing the queue forces once. */
    public static final FsyncPolicy NONE = new FsyncPolicy(-1);

    private final long intervalMs;

    private FsyncPolicy(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /**
     * Group commit: force on an append when at least {@code intervalMs} passed since the last force, so a power
     * loss takes at most about that much while messages flow. There is no timer thread: when appends stop, the
     * last records are forced by the next append, {@link FileQueue#sync()} or {@link FileQueue#close()}.
     */
    public static FsyncPolicy interval(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("the fsync interval must be positive: " + intervalMs + " ms");
        }
        return new FsyncPolicy(intervalMs);
    }

    /**
     * @param critical a published record or a QoS 2 state change (a completion is not: losing one only
     *     resends a message the broker then acknowledges again)
     * @return true when an append at {@code nowMs}, last forced at {@code lastForceMs}, must force
     */
    boolean isDue(long nowMs, long lastForceMs, boolean critical) {
        return intervalMs == 0 ? critical : intervalMs > 0 && nowMs - lastForceMs >= intervalMs;
    }

    @Override
    public String toString() {
        return intervalMs == 0 ? "EVERY_RECORD" : intervalMs < 0 ? "NONE" : "INTERVAL(" + intervalMs + " ms)";
    }
}
