package io.pipit.mqtt;

/**
 * Receives messages for a subscription. Called on the thread that drives the client's connection: its I/O thread
 * ({@code pipit-io-<clientId>}), or the thread of the shared {@code EventLoop} it runs on, or in poll mode the
 * thread calling {@code poll}; one message at a time, in the order the server sent them.
 *
 * <p>Keep it fast: while it runs the connection reads nothing more, so a slow listener slows the server
 * down through TCP and the MQTT receive window (it never makes the client buffer without bound). An
 * exception it throws is logged with the topic and does not break the connection; the message still
 * counts as delivered.
 *
 * <p>From here, call what returns at once: publish (without a timeout), subscribe, unsubscribe, request,
 * {@code connectAsync}, {@code MqttFuture.whenComplete}; {@code disconnect()} and {@code close()} start the shutdown
 * and return, and it completes once the listener returns. A call that would wait for the connection
 * ({@code MqttFuture.get} on a future not done, {@code connect()}, publish with a timeout, {@code poll}) throws
 * {@link IllegalStateException} at once, since only this thread could end the wait; on an event loop that holds
 * for the other clients on the loop too. See {@code MqttClient}'s "Listeners and callbacks".
 */
@FunctionalInterface
public interface MessageListener {
    /** @param message valid only during this call */
    void onMessage(Message message);
}
