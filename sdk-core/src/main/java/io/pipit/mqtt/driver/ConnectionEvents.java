package io.pipit.mqtt.driver;

import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.SubackView;

/**
 * What a {@link ClientConnection} reports to the client above it. Called on the driving thread; views are
 * valid only during the call.
 */
public interface ConnectionEvents {
    void onConnected(ConnackView connack);

    /**
     * A connection attempt failed or an established connection ended.
     *
     * @param reasonCode MQTT reason code, or -1 for a network failure
     * @param willRetry true when automatic reconnect will try again
     */
    void onConnectionLost(int reasonCode, String detail, boolean willRetry);

    void onPublishCompleted(long sequence, int reasonCode);

    /** The client stopped the connection between attempts (nothing was connected, so nothing else reports it). */
    default void onStopped() {
    }

    void onSubscriptionAck(int packetId, SubackView ack);
}
