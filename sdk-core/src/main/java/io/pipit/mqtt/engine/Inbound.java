package io.pipit.mqtt.engine;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishView;
import io.pipit.mqtt.codec.Utf8;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages from the server: topic-alias resolution, delivery to the matching subscriptions, the acks each
 * QoS owes, exactly-once for QoS 2 (an identifier awaiting PUBREL is not delivered again), and our Receive
 * Maximum. Not thread-safe: engine thread only.
 *
 * <p>How the Receive Maximum is enforced. Spec 4.9 gives the server a send quota per connection: one less per QoS 1
 * or 2 PUBLISH it sends, one more per PUBACK, PUBCOMP or refusing PUBREC it receives. We count the same from our
 * side: QoS 1/2 PUBLISHes received on this connection, less the acks that end such flows we have written (the
 * {@link AckQueue} counts those). Every PUBLISH we have read the server sent before the one now arriving, and every
 * ack it had read by then we had written, so our count is never above the server's: when it already reaches the
 * Receive Maximum as a new one arrives, the server broke MQTT-3.3.4-9 and the connection ends with 0x93. Acks for
 * flows of an earlier connection (PUBCOMPs for resent PUBRELs) count too, which only errs towards leniency. MQTT
 * 3.1.1 has no Receive Maximum to hold a server to.
 */
final class Inbound implements SubscriptionTable.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    private final AckQueue acks;
    private final int receiveMaximum;
    /** Our Receive Maximum on this connection, or {@link Integer#MAX_VALUE} in MQTT 3.1.1, which has none. */
    private int receiveLimit;
    /** QoS 1 and 2 PUBLISHes received on this connection; wraps, see {@link AckQueue#settledCount}. */
    private int receivedCount;
    private final TopicAliases aliases;
    private final SubscriptionTable subscriptions = new SubscriptionTable();
    private final PacketIdSet awaitingPubrel = new PacketIdSet();
    private final InboundMessage message = new InboundMessage();
    private long unroutedCount;
    private MessageListener unroutedListener;
    private long invalidPayloadCount;

    Inbound(AckQueue acks, int receiveMaximum, int topicAliasMaximum) {
        this.acks = acks;
        this.receiveMaximum = receiveMaximum;
        this.aliases = new TopicAliases(topicAliasMaximum);
    }

    SubscriptionTable subscriptions() {
        return subscriptions;
    }

    /** @return messages that matched no subscription (a server may send those after an unsubscribe) */
    long unroutedCount() {
        return unroutedCount;
    }

    void unroutedListener(MessageListener listener) {
        this.unroutedListener = listener;
    }

    /**
     * Aliases and the send quota live for one connection; QoS 2 state lives with the session and stays.
     *
     * @param mqtt5 whether the connection speaks MQTT 5, whose CONNECT told the server our Receive Maximum
     */
    void onNewConnection(boolean mqtt5) {
        aliases.clear();
        receiveLimit = mqtt5 ? receiveMaximum : Integer.MAX_VALUE;
        receivedCount = 0;
    }

    void onPublish(PublishView publish) {
        int qos = publish.qos();
        int packetId = publish.packetId();
        if (qos > 0) {
            if (receivedCount - acks.settledCount() >= receiveLimit) {
                throw new MqttCodecException(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, -1, "more than our Receive Maximum "
                        + "of " + receiveMaximum + " QoS 1 and 2 messages unacknowledged at once");
            }
            receivedCount++;
        }
        if (qos == 2 && awaitingPubrel.contains(packetId)) {
            acks.add(PacketType.PUBREC, packetId, ReasonCode.SUCCESS); // a resend: delivered once already
            return;
        }
        if (!hasValidPayloadFormat(publish)) {
            // spec 3.3.2.3.2: a payload announced as UTF-8 that is not is refused with 0x99, not delivered
            invalidPayloadCount++;
            if (qos > 0) {
                acks.add(qos == 1 ? PacketType.PUBACK : PacketType.PUBREC, packetId, ReasonCode.PAYLOAD_FORMAT_INVALID);
            }
            return;
        }
        deliver(publish);
        if (qos == 1) {
            acks.add(PacketType.PUBACK, packetId, ReasonCode.SUCCESS);
        } else if (qos == 2) {
            awaitingPubrel.add(packetId);
            acks.add(PacketType.PUBREC, packetId, ReasonCode.SUCCESS);
        }
    }

    private static boolean hasValidPayloadFormat(PublishView publish) {
        return publish.properties().number(Property.PAYLOAD_FORMAT_INDICATOR, 0) != 1
                || Utf8.firstInvalid(publish.buffer(), publish.payloadOffset(), publish.payloadLength()) < 0;
    }

    /** @return messages refused because their payload was announced as UTF-8 but was not */
    long invalidPayloadCount() {
        return invalidPayloadCount;
    }

    void onPubrel(int packetId) {
        boolean known = awaitingPubrel.remove(packetId);
        acks.add(PacketType.PUBCOMP, packetId, known ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
    }

    private void deliver(PublishView publish) {
        ByteBuffer topicBuffer = publish.buffer();
        int topicOffset = publish.topic().byteOffset();
        int topicLength = publish.topic().byteLength();
        int alias = (int) publish.properties().number(Property.TOPIC_ALIAS, 0);
        if (alias > 0) {
            topicBuffer = aliases.resolve(alias, publish.topic());
            topicOffset = 0;
            topicLength = aliases.length(alias);
        }
        message.wrap(publish, topicBuffer, topicOffset, topicLength);
        if (subscriptions.dispatch(publish.properties(), topicBuffer, topicOffset, topicLength, this) == 0) {
            unroutedCount++;
            if (unroutedListener != null) {
                deliver(unroutedListener);
            } else if (unroutedCount == 1) {
                // acknowledged all the same (the server must not resend it forever), so say so once, loudly
                LOG.warn("a message for topic {} matched no subscription's listener and was dropped; set"
                        + " MqttClientBuilder.unroutedMessageListener to receive such messages", message.topic());
            }
        }
    }

    @Override
    public void deliver(MessageListener listener) {
        try {
            listener.onMessage(message);
        } catch (RuntimeException e) {
            // The listener's bug must not cost the connection or the other subscribers their messages.
            LOG.error("message listener {} failed on a message for topic {}", listener, message.topic(), e);
        }
    }
}
