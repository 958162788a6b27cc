package io.pipit.mqtt.engine;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.Utf8View;
import java.nio.ByteBuffer;

/**
 * Topic aliases the server has set for this connection (spec 3.3.2.3.4): alias → topic name, so a PUBLISH
 * that carries only the alias is delivered under its full topic. Each slot keeps its own buffer, grown only
 * when a longer topic than before is stored in it. Cleared on every new connection, as the spec requires.
 * Not thread-safe: engine thread only.
 */
final class TopicAliases {
    private final ByteBuffer[] topics;
    private final int[] lengths;

    /** @param maximum the Topic Alias Maximum we announced in CONNECT (0 = none accepted) */
    TopicAliases(int maximum) {
        topics = new ByteBuffer[maximum + 1];
        lengths = new int[maximum + 1];
        clear();
    }

    void clear() {
        for (int i = 0; i < topics.length; i++) {
            lengths[i] = -1;
        }
    }

    /**
     * Records or looks up {@code alias} for a received PUBLISH whose topic is {@code topic} (empty when the
     * server relies on the alias), and points {@code topic}'s bytes at where the full name lives.
     *
     * @return the buffer holding the full topic at index 0, with {@link #length(int)} bytes
     * @throws MqttCodecException 0x94 for an alias above our maximum, 0x82 for an unknown alias
     */
    ByteBuffer resolve(int alias, Utf8View topic) {
        if (alias >= topics.length) {
            throw new MqttCodecException(ReasonCode.TOPIC_ALIAS_INVALID, -1, "Topic Alias " + alias
                    + " exceeds our Topic Alias Maximum of " + (topics.length - 1));
        }
        int length = topic.byteLength();
        if (length == 0) {
            if (lengths[alias] < 0) {
                throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, "Topic Alias " + alias
                        + " used before the server set it");
            }
            return topics[alias];
        }
        if (topics[alias] == null || topics[alias].capacity() < length) {
            topics[alias] = ByteBuffer.wrap(new byte[Math.max(length, 32)]);
        }
        topic.copyTo(topics[alias].array(), 0);
        lengths[alias] = length;
        return topics[alias];
    }

    int length(int alias) {
        return lengths[alias];
    }
}
