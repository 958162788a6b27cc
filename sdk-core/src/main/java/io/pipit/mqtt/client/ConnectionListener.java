package io.pipit.mqtt.client;

/**
 * Hears about the connection's ups and downs. Called on the client's I/O thread; keep it short and do not
 * call blocking client methods from it.
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
