package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application message as the broker stores and forwards it: topic, payload, QoS, RETAIN and the properties
 * that travel with it (Payload Format Indicator, Content Type, Response Topic, Correlation Data, User
 * Properties, Message Expiry). Immutable once made; confined to the loop thread all the same.
 */
final class Message {
    /** Properties forwarded unchanged from publisher to subscriber (spec 3.3.2.3). */
    private static final int[] FORWARDED = {
        Property.PAYLOAD_FORMAT_INDICATOR, Property.CONTENT_TYPE, Property.RESPONSE_TOPIC, Property.CORRELATION_DATA,
    };

    final String topic;
    final byte[] topicUtf8;
    final byte[] payload;
    final int qos;
    final boolean retain;
    final String publisherId;
    private final MqttProperties properties;
    private final long createdNs;
    private final long expirySeconds;

    Message(String topic, byte[] payload, int qos, boolean retain, String publisherId, MqttProperties properties,
            long expirySeconds) {
        this.topic = topic;
        this.topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.publisherId = publisherId;
        this.properties = properties;
        this.createdNs = System.nanoTime();
        this.expirySeconds = expirySeconds;
    }

    /**
     * Copies a received PUBLISH or Will.
     *
     * @param view the PUBLISH properties or Will Properties
     */
    static Message of(String topic, byte[] payload, int qos, boolean retain, String publisherId,
            PropertiesView view) {
        MqttProperties all = new MqttProperties().copyFrom(view);
        return new Message(topic, payload, qos, retain, publisherId, forwarded(all),
                all.number(Property.MESSAGE_EXPIRY_INTERVAL, -1));
    }

    /** @return the properties a broker passes on unchanged (spec 3.3.2.3), copied from {@code from} */
    private static MqttProperties forwarded(MqttProperties from) {
        MqttProperties kept = new MqttProperties();
        for (int id : FORWARDED) {
            if (from.has(id)) {
                if (Property.type(id) == Property.TYPE_BYTE) {
                    kept.put(id, from.number(id, 0));
                } else {
                    kept.put(id, from.bytes(id));
                }
            }
        }
        for (int i = 0; i < from.userPropertyCount(); i++) {
            kept.addUserProperty(from.userPropertyKey(i), from.userPropertyValue(i));
        }
        return kept;
    }

    /** @return this message with another RETAIN flag */
    Message withRetain(boolean value) {
        return value == retain ? this
                : new Message(topic, payload, qos, value, publisherId, properties, expirySeconds, createdNs);
    }

    private Message(String topic, byte[] payload, int qos, boolean retain, String publisherId,
            MqttProperties properties, long expirySeconds, long createdNs) {
        this.topic = topic;
        this.topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.publisherId = publisherId;
        this.properties = properties;
        this.createdNs = createdNs;
        this.expirySeconds = expirySeconds;
    }

    /** @return true when the Message Expiry Interval has passed */
    boolean expired(long nowNs) {
        return expirySeconds >= 0 && remainingSeconds(nowNs) <= 0;
    }

    private long remainingSeconds(long nowNs) {
        return expirySeconds - TimeUnit.NANOSECONDS.toSeconds(nowNs - createdNs);
    }

    /**
     * @param subscriptionIds the identifiers of the subscriptions that matched (may be empty)
     * @return the properties to send to one subscriber (MQTT 5), the expiry counted down
     */
    MqttProperties outgoing(List<Integer> subscriptionIds, long nowNs) {
        MqttProperties out = forwarded(properties);
        if (expirySeconds >= 0) {
            out.put(Property.MESSAGE_EXPIRY_INTERVAL, Math.max(1, remainingSeconds(nowNs)));
        }
        for (int id : subscriptionIds) {
            out.addSubscriptionIdentifier(id);
        }
        return out;
    }

    @Override
    public String toString() {
        return "'" + topic + "' qos=" + qos + (retain ? " retain" : "") + " (" + payload.length + " bytes)";
    }
}
