package io.pipit.mqtt;

import io.pipit.mqtt.codec.PropertiesView;
import java.nio.ByteBuffer;

/**
 * A received application message, as a view over the receive buffer: nothing is copied to hand it to you.
 * Valid only during the {@link MessageListener#onMessage} call that delivers it; copy what you need to keep
 * ({@link #copyPayload}, {@link #payloadAsString}, {@code topic().toString()}).
 *
 * <p>Not thread-safe, and not to be shared with other threads.
 */
public interface Message {
    /** @return the topic name (resolved from a Topic Alias when the server sent one) */
    CharSequence topic();

    /** @return 0, 1 or 2: the QoS the message was delivered at */
    int qos();

    /** @return true when the server delivered it as a retained message */
    boolean retain();

    /** @return true when the server marked it as a possible redelivery */
    boolean duplicate();

    /** @return MQTT 5 properties (always empty on MQTT 3.1.1) */
    PropertiesView properties();

    /** @return the buffer holding the payload; read it by absolute index, do not change its position */
    ByteBuffer payloadBuffer();

    /** @return index of the first payload byte in {@link #payloadBuffer()} */
    int payloadOffset();

    /** @return payload length in bytes */
    int payloadLength();

    /** Copies the payload into {@code dst} at {@code dstOffset}; allocation-free. */
    void copyPayload(byte[] dst, int dstOffset);

    /** @return the payload decoded as UTF-8 (allocates a String) */
    String payloadAsString();
}
