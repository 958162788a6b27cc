package io.pipit.mqtt.queue;

/**
 * Wall-clock milliseconds for a queue: when a message was queued (its age, its Message Expiry) and when the
 * file queue last synced. Replaceable in tests. Called from any thread that uses the queue; must not allocate.
 */
@FunctionalInterface
public interface QueueClock {
    /** The system clock, {@link System#currentTimeMillis()}: it survives a restart, unlike nanoTime. */
    QueueClock SYSTEM = System::currentTimeMillis;

    /** @return milliseconds since the epoch */
    long millis();
}
