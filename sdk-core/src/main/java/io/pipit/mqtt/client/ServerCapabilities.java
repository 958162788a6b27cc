package io.pipit.mqtt.client;

import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;

/**
 * What the server announced in its CONNACK: the limits and optional features an application adapts to (a
 * broker without shared subscriptions, one that caps QoS at 1, a small Maximum Packet Size). A property the
 * server left out takes the value MQTT 5 gives its absence (spec 3.2.2.3), which is also what an MQTT 3.1.1
 * connection gets, since its CONNACK carries no properties: a 3.1.1 broker that lacks a feature says so
 * per subscription, with a SUBACK failure code (0x80), not here.
 *
 * <p>Immutable and thread-safe; {@link MqttClient#serverCapabilities()} returns a new one per connection.
 */
public final class ServerCapabilities {
    /** Before any CONNACK: everything a server may announce, at its absent-property value. */
    static final ServerCapabilities NONE = new ServerCapabilities(0L, 2, true, true, true, true,
            FixedHeader.MAX_PACKET_SIZE, 65_535, 0);

    private final long announced;
    private final int maximumQos;
    private final boolean retainAvailable;
    private final boolean wildcardSubscriptionAvailable;
    private final boolean sharedSubscriptionAvailable;
    private final boolean subscriptionIdentifiersAvailable;
    private final long maximumPacketSize;
    private final int receiveMaximum;
    private final int topicAliasMaximum;

    private ServerCapabilities(long announced, int maximumQos, boolean retainAvailable, boolean wildcards,
            boolean shared, boolean subscriptionIdentifiers, long maximumPacketSize, int receiveMaximum,
            int topicAliasMaximum) {
        this.announced = announced;
        this.maximumQos = maximumQos;
        this.retainAvailable = retainAvailable;
        this.wildcardSubscriptionAvailable = wildcards;
        this.sharedSubscriptionAvailable = shared;
        this.subscriptionIdentifiersAvailable = subscriptionIdentifiers;
        this.maximumPacketSize = maximumPacketSize;
        this.receiveMaximum = receiveMaximum;
        this.topicAliasMaximum = topicAliasMaximum;
    }

    /** Copies what the CONNACK's properties say (the view dies with the packet; this snapshot does not). */
    static ServerCapabilities of(PropertiesView connack) {
        return new ServerCapabilities(connack.presentMask(),
                (int) connack.number(Property.MAXIMUM_QOS, 2),
                connack.number(Property.RETAIN_AVAILABLE, 1) == 1,
                connack.number(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1,
                connack.number(Property.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1,
                connack.number(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1,
                connack.number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE),
                (int) connack.number(Property.RECEIVE_MAXIMUM, 65_535),
                (int) connack.number(Property.TOPIC_ALIAS_MAXIMUM, 0));
    }

    /**
     * @param propertyId a CONNACK property, e.g. {@link Property#SHARED_SUBSCRIPTION_AVAILABLE}
     * @return true when the server sent it; false when the value is the spec's default for its absence
     */
    public boolean announced(int propertyId) {
        return propertyId > 0 && propertyId <= Property.MAX_ID && (announced & (1L << propertyId)) != 0;
    }

    /** @return the highest QoS the server accepts on PUBLISH (Maximum QoS; 2 when absent) */
    public int maximumQos() {
        return maximumQos;
    }

    /** @return whether the server keeps retained messages (Retain Available; true when absent) */
    public boolean retainAvailable() {
        return retainAvailable;
    }

    /** @return whether topic filters may hold {@code +} and {@code #} (true when absent) */
    public boolean wildcardSubscriptionAvailable() {
        return wildcardSubscriptionAvailable;
    }

    /** @return whether {@code $share/} filters are understood (true when absent) */
    public boolean sharedSubscriptionAvailable() {
        return sharedSubscriptionAvailable;
    }

    /** @return whether SUBSCRIBE may carry a Subscription Identifier (true when absent) */
    public boolean subscriptionIdentifiersAvailable() {
        return subscriptionIdentifiersAvailable;
    }

    /** @return the largest packet the server accepts, in bytes (the protocol's maximum when absent) */
    public long maximumPacketSize() {
        return maximumPacketSize;
    }

    /** @return how many QoS 1/2 publishes the server takes unacknowledged at once (65,535 when absent) */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** @return how many topic aliases the server accepts from the client (0, none, when absent) */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /** @return the announced values only, e.g. "Receive Maximum=10, Maximum QoS=1", or "none announced" */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        append(text, Property.RECEIVE_MAXIMUM, receiveMaximum);
        append(text, Property.MAXIMUM_QOS, maximumQos);
        append(text, Property.RETAIN_AVAILABLE, retainAvailable ? 1 : 0);
        append(text, Property.MAXIMUM_PACKET_SIZE, maximumPacketSize);
        append(text, Property.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum);
        append(text, Property.WILDCARD_SUBSCRIPTION_AVAILABLE, wildcardSubscriptionAvailable ? 1 : 0);
        append(text, Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, subscriptionIdentifiersAvailable ? 1 : 0);
        append(text, Property.SHARED_SUBSCRIPTION_AVAILABLE, sharedSubscriptionAvailable ? 1 : 0);
        return text.length() == 0 ? "none announced" : text.toString();
    }

    private void append(StringBuilder text, int propertyId, long value) {
        if (announced(propertyId)) {
            text.append(text.length() == 0 ? "" : ", ").append(Property.name(propertyId)).append('=').append(value);
        }
    }
}
