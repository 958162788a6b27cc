package io.pipit.mqtt.client;

/**
 * Hears about the connection's ups and downs. Called on the thread that drives the client's connection: its I/O
 * thread, the thread of its shared {@link io.pipit.mqtt.driver.EventLoop}, or in poll mode the thread inside
 * {@link MqttClient#poll}. Keep it short: meanwhile the connection does nothing else.
 *
 * <p>Call what returns at once, e.g. {@link MqttClient#connectAsync()} to reconnect by hand, {@code subscribe},
 * {@code publish}; {@link MqttClient#disconnect()} and {@link MqttClient#close()} start the shutdown and return.
 * A call that would wait for the connection ({@link MqttClient#connect()}, {@link MqttFuture#get} on a future not
 * done, publish with a timeout) throws {@link IllegalStateException} at once. See {@link MqttClient}.
 */
public interface ConnectionListener {
    /** Connected (again): {@code sessionPresent} says whether the server kept the session. */
    default void onConnected(boolean sessionPresent) {
    }

    /**
     * The connection ended or a reconnect attempt failed.
     *
     * @param reasonCode the MQTT reason code (from the server's CONNACK or DISCONNECT, or ours), or -1 for
     *     a network failure
     * @param reconnecting true when the client will try again by itself
     */
    default void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
    }
}
