package io.pipit.mqtt;

/**
 * Receives messages for a subscription. Called on the client's I/O thread (or, in poll mode, on the thread
 * calling {@code poll}), one message at a time, in the order the server sent them.
 *
 * <p>Keep it fast: while it runs the connection reads nothing more, so a slow listener slows the server
 * down through TCP and the MQTT receive window (it never makes the client buffer without bound). An
 * exception it throws is logged with the topic and does not break the connection; the message still
 * counts as delivered.
 */
@FunctionalInterface
public interface MessageListener {
    /** @param message valid only during this call */
    void onMessage(Message message);
}
