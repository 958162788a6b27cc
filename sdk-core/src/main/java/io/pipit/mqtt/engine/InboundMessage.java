package io.pipit.mqtt.engine;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.PublishView;
import io.pipit.mqtt.codec.Utf8;
import io.pipit.mqtt.codec.Utf8View;
import java.nio.ByteBuffer;

/**
 * The engine's one reusable {@link Message}: a received PUBLISH plus its topic, which may come from the
 * packet or from the topic-alias table. Not thread-safe: engine thread only, valid during one callback.
 */
final class InboundMessage implements Message {
    private final Utf8View topic = new Utf8View();
    private PublishView publish;

    /** Points at {@code view}, with the topic at {@code topicBuffer[topicOffset, +topicLength)}. */
    InboundMessage wrap(PublishView view, ByteBuffer topicBuffer, int topicOffset, int topicLength) {
        this.publish = view;
        topic.wrap(topicBuffer, topicOffset, topicLength);
        return this;
    }

    Utf8View topicView() {
        return topic;
    }

    @Override
    public CharSequence topic() {
        return topic;
    }

    @Override
    public int qos() {
        return publish.qos();
    }

    @Override
    public boolean retain() {
        return publish.retain();
    }

    @Override
    public boolean duplicate() {
        return publish.dup();
    }

    @Override
    public PropertiesView properties() {
        return publish.properties();
    }

    @Override
    public ByteBuffer payloadBuffer() {
        return publish.buffer();
    }

    @Override
    public int payloadOffset() {
        return publish.payloadOffset();
    }

    @Override
    public int payloadLength() {
        return publish.payloadLength();
    }

    @Override
    public void copyPayload(byte[] dst, int dstOffset) {
        publish.copyPayload(dst, dstOffset);
    }

    @Override
    public String payloadAsString() {
        return Utf8.decode(publish.buffer(), publish.payloadOffset(), publish.payloadLength());
    }

    @Override
    public String toString() {
        return "Message{topic=" + topic + ", qos=" + qos() + ", retain=" + retain() + ", payload="
                + payloadLength() + " bytes}";
    }
}
