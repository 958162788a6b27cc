package io.pipit.mqtt.queue;

/**
 * What a full queue does with one more message. Every message it does not keep is counted in
 * {@link QueueStats} and reported to the {@link DropListener}.
 */
public enum OverflowPolicy {
    /** Drop the oldest message not yet sent to make room (telemetry: the newest reading matters most). */
    DROP_OLDEST,
    /** Take the new message's sequence number, then drop it and report it (the publisher is not refused). */
    DROP_NEWEST,
    /** Refuse the new message: {@code publish} returns -1 at once. */
    REJECT
}
