package io.pipit.mqtt.client;

/**
 * Hears when publishes finish, by the sequence number {@code publish} returned: QoS 0 once written to the
 * network, QoS 1 on PUBACK, QoS 2 on PUBCOMP, or a refusal with an error reason code (0x80 and above).
 * Called on the client's I/O thread; allocation-free, so it suits the zero-allocation path.
 */
@FunctionalInterface
public interface PublishListener {
    void onPublishCompleted(long sequence, int reasonCode);
}
