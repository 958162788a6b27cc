package io.pipit.mqtt.queue;

/**
 * Hears of every message a queue does not deliver. Called on the thread that caused the drop (a publishing
 * thread for overflow, the thread that drives the client's connection for expiry, the opening thread for
 * corruption found on recovery) while the queue's lock is held: be quick and do not call back into the queue.
 * Allocation-free to call, so it suits the zero-allocation path.
 */
@FunctionalInterface
public interface DropListener {
    /**
     * @param sequence the message's sequence number, or -1 when it was refused before it got one
     * @param cause why it was dropped
     */
    void onDropped(long sequence, DropCause cause);
}
