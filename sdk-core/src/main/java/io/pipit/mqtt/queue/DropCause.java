package io.pipit.mqtt.queue;

/** Why a queue did not deliver a message; each cause has its own counter in {@link QueueStats}. */
public enum DropCause {
    /** Dropped to make room for a newer message ({@link OverflowPolicy#DROP_OLDEST}). */
    OVERFLOW_OLDEST,
    /** The new message was dropped because the queue was full ({@link OverflowPolicy#DROP_NEWEST}). */
    OVERFLOW_NEWEST,
    /** The new message was refused ({@link OverflowPolicy#REJECT}, or larger than the whole queue). */
    REJECTED,
    /** Its Message Expiry Interval passed while it waited (MQTT 5, spec 3.3.2.3.3): not sent stale. */
    EXPIRED,
    /** A QoS 0 message published while offline, with QoS 0 queueing turned off. */
    QOS0_OFFLINE,
    /** The storage failed to take it (disk full, I/O error); the queue keeps working with what it has. */
    STORAGE_ERROR,
    /** Found corrupt when a file queue was recovered: the record could not be read back. */
    CORRUPT
}
