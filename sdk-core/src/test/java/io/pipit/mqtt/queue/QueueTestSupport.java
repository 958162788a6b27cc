package io.pipit.mqtt.queue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Encoded PUBLISH packets, a virtual clock and a recording drop listener for queue tests. */
final class QueueTestSupport {
    static final Topic TOPIC = Topic.of("q/test");

    /** The virtual wall clock tests move by hand. */
    static final class ManualClock implements QueueClock {
        long nowMs = 1_000_000;

        @Override
        public long millis() {
            return nowMs;
        }
    }

    /** Keeps every drop as "sequence:CAUSE". */
    static final class Drops implements DropListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void onDropped(long sequence, DropCause cause) {
            seen.add(sequence + ":" + cause);
        }
    }

    private QueueTestSupport() {
    }

    /** A QoS {@code qos} PUBLISH whose payload is {@code id} as 4 bytes, with a Message Expiry when >= 0. */
    static ByteBuffer publish(int id, int qos, long expirySeconds) {
        MqttProperties properties = null;
        if (expirySeconds >= 0) {
            properties = new MqttProperties().put(Property.MESSAGE_EXPIRY_INTERVAL, expirySeconds)
                    .string(Property.CONTENT_TYPE, "text/plain").addUserProperty("k".getBytes(), "v".getBytes());
        }
        byte[] payload = {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
        ByteBuffer buf = ByteBuffer.allocate(128);
        PublishEncoder.encode(buf, ProtocolVersion.MQTT_5, TOPIC, qos, false, false, 1, properties, payload, 0, 4);
        buf.flip();
        return buf;
    }

    static ByteBuffer publish(int id) {
        return publish(id, 1, -1);
    }

    /** Polls into {@code out} (cleared first); @return the id of the message polled, or EMPTY / NO_ROOM */
    static int pollId(OutboundQueue queue, ByteBuffer out) {
        out.clear();
        long sequence = queue.poll(out);
        return sequence < 0 ? (int) sequence : idOf(out);
    }

    /** @return the ids of every message {@code queue} hands out, in order */
    static List<Integer> drain(OutboundQueue queue, ByteBuffer out) {
        List<Integer> ids = new ArrayList<>();
        for (int id = pollId(queue, out); id >= 0; id = pollId(queue, out)) {
            ids.add(id);
        }
        return ids;
    }

    /** @return the 4-byte id at the end of the PUBLISH in {@code buf} from 0 to its position */
    static int idOf(ByteBuffer buf) {
        return buf.getInt(buf.position() - 4);
    }
}
