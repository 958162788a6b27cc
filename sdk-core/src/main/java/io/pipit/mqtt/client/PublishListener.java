package io.pipit.mqtt.client;

/**
 * Hears when publishes finish, by the sequence number {@code publish} returned: QoS 0 once written to the
 * network, QoS 1 on PUBACK, QoS 2 on PUBCOMP, or a refusal with an error reason code (0x80 and above).
 * Called on the thread that drives the client's connection (its I/O thread, the thread of its shared
 * {@link io.pipit.mqtt.driver.EventLoop}, or in poll mode the thread inside {@link MqttClient#poll});
 * allocation-free, so it suits the zero-allocation path.
 *
 * <p>Keep it short. Publishing the next message from here is fine with the publish that returns at once (-1 when
 * the queue is full); the publish with a timeout, like every call that would wait for the connection, throws
 * {@link IllegalStateException} here. See {@link MqttClient}.
 */
@FunctionalInterface
public interface PublishListener {
    void onPublishCompleted(long sequence, int reasonCode);
}
