package io.pipit.pi4j;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.MqttClient;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic with its own reused payload buffer: what a component publishes its state or events through. A full
 * client queue is counted and logged, never silently ignored. Thread-safe: {@link #publish} runs under the
 * object's lock, since an output's state can be published from the I/O thread and the shutdown thread.
 */
final class StateMessage {
    static final byte[] ON = "ON".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OFF = "OFF".getBytes(StandardCharsets.US_ASCII);
    private static final Logger LOG = LoggerFactory.getLogger(StateMessage.class);

    private final MqttClient client;
    private final Topic topic;
    private final QoS qos;
    private final boolean retain;
    private final byte[] buffer;
    private long refusedCount;

    StateMessage(MqttClient client, Topic topic, QoS qos, boolean retain, int capacity) {
        this.client = client;
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.buffer = new byte[capacity];
    }

    /** Publishes the first {@code length} bytes of {@link #buffer}; @return false when the queue refused it. */
    synchronized boolean publish(int length) {
        return publish(buffer, length);
    }

    /** Publishes {@code payload} as it is; @return false when the queue refused it. */
    synchronized boolean publish(byte[] payload, int length) {
        if (client.publish(topic, payload, 0, length, qos, retain) >= 0) {
            return true;
        }
        if (refusedCount++ == 0 || refusedCount % 1000 == 0) { // the count keeps the rest; the log says it started
            LOG.warn("{}: the client's queue is full; {} message(s) refused so far", topic, refusedCount);
        }
        return false;
    }

    /** @return the reused payload buffer; fill and {@link #publish(int)} it while holding this object's lock */
    byte[] buffer() {
        return buffer;
    }

    synchronized long refusedCount() {
        return refusedCount;
    }

    Topic topic() {
        return topic;
    }
}
