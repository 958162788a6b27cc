package io.pipit.mqtt.engine;

import io.pipit.mqtt.codec.ConnackView;
import io.pipit.mqtt.codec.SubackView;

/**
 * What the engine reports. Every call comes from the engine's thread (the driver's I/O thread, or the
 * caller of {@code poll}) while the engine is handling input or a tick; views passed in are valid only
 * during the call. Implementations must be fast and must not call back into the engine.
 */
public interface EngineListener {
    /** The server accepted CONNECT. */
    void onConnected(ConnackView connack);

    /**
     * The connection is over: the server refused CONNECT, sent DISCONNECT, broke the protocol, stopped
     * answering, or we disconnected. The driver closes the transport after this.
     *
     * @param reasonCode the MQTT 5 reason code (CONNACK or DISCONNECT code, or the one we sent), or
     *     {@link Engine#NETWORK_FAILURE} when the transport failed
     * @param byServer true when the server ended it (refusal or DISCONNECT), false when we did
     * @param detail what happened, in words
     */
    void onConnectionClosed(int reasonCode, boolean byServer, String detail);

    /**
     * A publish finished: QoS 0 written to the transport, QoS 1 PUBACK, QoS 2 PUBCOMP received, or the
     * server refused it with an error reason code.
     *
     * @param sequence the number {@code publish} returned
     */
    void onPublishCompleted(long sequence, int reasonCode);

    /** A SUBACK or UNSUBACK arrived for the request with {@code packetId}. */
    void onSubscriptionAck(int packetId, SubackView ack);
}
