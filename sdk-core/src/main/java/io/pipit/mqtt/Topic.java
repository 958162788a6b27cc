package io.pipit.mqtt;

import io.pipit.mqtt.codec.TopicNames;
import io.pipit.mqtt.codec.Utf8;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A validated MQTT Topic Name, encoded to UTF-8 once so that publishing to it never encodes again.
 * Immutable; safe to share between threads and clients. Create one per destination at start-up and
 * reuse it: {@code Topic.of("tele/sensor-42/temp")}.
 */
public final class Topic {
    private final String name;
    private final byte[] utf8;

    private Topic(String name, byte[] utf8) {
        this.name = name;
        this.utf8 = utf8;
    }

    /**
     * Validates and encodes a topic name. Allocates: call it once per topic, not per message.
     *
     * @throws IllegalArgumentException when the name is empty, holds a wildcard ({@code +} or {@code #}),
     *     U+0000 or an unpaired surrogate, or is over 65,535 bytes of UTF-8
     */
    public static Topic of(String name) {
        byte[] bytes = Utf8.encode(name, "topic name");
        int problem = TopicNames.checkTopicName(bytes, 0, bytes.length);
        if (problem != TopicNames.VALID) {
            throw new IllegalArgumentException("invalid topic name '" + name + "': " + TopicNames.describe(problem));
        }
        return new Topic(name, bytes);
    }

    /** @return the number of UTF-8 bytes the name takes on the wire (without the length prefix) */
    public int byteLength() {
        return utf8.length;
    }

    /** Writes the UTF-8 bytes (no length prefix) at the buffer's position; allocation-free. */
    public void writeTo(ByteBuffer dst) {
        dst.put(utf8);
    }

    /** @return a copy of the UTF-8 bytes (allocates) */
    public byte[] toUtf8() {
        return utf8.clone();
    }

    /** @return the topic name */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Topic && Arrays.equals(utf8, ((Topic) other).utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return name;
    }
}
