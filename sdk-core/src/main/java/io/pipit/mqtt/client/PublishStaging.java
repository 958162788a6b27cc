package io.pipit.mqtt.client;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PublishEncoder;
import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;

/**
 * Turns an application's publish into a queued packet: checks it against the server's limits, encodes it and
 * hands it to the outbound queue, which copies it. Allocation-free once the scratch buffer has grown to the
 * largest publish. Thread-safe: publishers on any thread encode one at a time; the server's limits are updated by
 * the I/O thread on each CONNACK.
 */
final class PublishStaging {
    private final OutboundQueue queue;
    private final int maximumPacketSize;
    /** Guards {@link #scratch}. */
    private final Object lock = new Object();
    /**
     * Where a publish is encoded before the queue copies it. Sized to twice the largest packet published so far
     * (a power of two, at most the maximum packet size), not to the maximum up front: most devices publish small
     * packets, and a client sized for 256 KB would hold 256 KB for them. Grows, never shrinks.
     */
    private ByteBuffer scratch = ByteBuffer.allocate(0);
    private volatile int serverMaximumQos = 2;
    private volatile boolean retainAvailable = true;

    PublishStaging(OutboundQueue queue, int maximumPacketSize) {
        this.queue = queue;
        this.maximumPacketSize = maximumPacketSize;
    }

    /** The server's Maximum QoS and Retain Available from its CONNACK. */
    void serverLimits(int maximumQos, boolean retain) {
        this.serverMaximumQos = maximumQos;
        this.retainAvailable = retain;
    }

    /**
     * @return the publish's sequence number, or -1 when the queue is full
     * @throws IllegalArgumentException see {@link MqttClient#publish(Topic, byte[], int, int, QoS, boolean,
     *     MqttProperties)}
     */
    long offer(Topic topic, byte[] payload, int offset, int length, QoS qos, boolean retain,
            MqttProperties properties) {
        if (qos.value() > serverMaximumQos) {
            throw new IllegalArgumentException("the server accepts QoS up to " + serverMaximumQos + ", not " + qos);
        }
        if (retain && !retainAvailable) {
            throw new IllegalArgumentException("the server does not support retained messages");
        }
        synchronized (lock) {
            // Queued packets are always in MQTT 5 form: the engine strips them to 3.1.1 when it sends on such
            // a connection. One form means no race with a fallback that changes the version mid-publish.
            int size = PublishEncoder.encodedLength(ProtocolVersion.MQTT_5, topic.byteLength(), qos.value(),
                    properties, length);
            if (size > maximumPacketSize) {
                throw new IllegalArgumentException("PUBLISH of " + size + " bytes exceeds the maximum packet size "
                        + maximumPacketSize);
            }
            if (scratch.capacity() < size) {
                // twice the size, to a power of two: a publish a few bytes longer than the last must not allocate
                scratch = ByteBuffer.allocate(Math.min(maximumPacketSize, Integer.highestOneBit(2 * size - 1) << 1));
            }
            scratch.clear();
            // Packet Identifier 1 is a placeholder: the engine stamps the real one when the packet is sent.
            PublishEncoder.encode(scratch, ProtocolVersion.MQTT_5, topic, qos.value(), false, retain, 1, properties,
                    payload, offset, length);
            scratch.flip();
            return queue.offer(scratch);
        }
    }
}
