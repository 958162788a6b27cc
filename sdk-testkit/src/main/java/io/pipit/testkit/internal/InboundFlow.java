package io.pipit.testkit.internal;

import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishView;
import io.pipit.mqtt.codec.SubackEncoder;
import io.pipit.mqtt.codec.SubscribeView;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client sends the broker after CONNECT: PUBLISH (Topic Alias resolution, Maximum QoS, Retain Available
 * and Receive Maximum enforcement, the QoS 1 and 2 acks), PUBREL, SUBSCRIBE (granted QoS, Subscription
 * Identifier, retained messages by Retain Handling) and UNSUBSCRIBE.
 *
 * <p>Thread-safety: confined to the loop thread.
 */
final class InboundFlow {
    private final Broker broker;

    InboundFlow(Broker broker) {
        this.broker = broker;
    }

    /**
     * Resolves a PUBLISH's topic through the connection's Topic Alias table, learning a new alias on the way.
     *
     * @return the topic, or null when the alias is invalid or unknown (see {@link #aliasProblem})
     */
    String resolveTopic(Connection c, PublishView p) {
        int alias = (int) p.properties().number(Property.TOPIC_ALIAS, 0);
        if (alias == 0) {
            return p.topic().toString();
        }
        if (alias > broker.settings().topicAliasMaximum()) {
            return null;
        }
        if (p.topic().byteLength() > 0) {
            String topic = p.topic().toString();
            c.topicAliases.put(alias, topic);
            return topic;
        }
        return c.topicAliases.get(alias);
    }

    /** @return the DISCONNECT reason for a PUBLISH whose topic did not resolve */
    int aliasProblem(Connection c, PublishView p) {
        int alias = (int) p.properties().number(Property.TOPIC_ALIAS, 0);
        // Spec 3.3.2.3.4: over the maximum is Topic Alias Invalid; an alias never set is a Protocol Error.
        return alias > broker.settings().topicAliasMaximum() ? ReasonCode.TOPIC_ALIAS_INVALID
                : ReasonCode.PROTOCOL_ERROR;
    }

    void onPublish(Connection c, PublishView p, String topic) {
        Settings settings = broker.settings();
        int qos = p.qos();
        if (qos > settings.maximumQos()) {
            broker.disconnect(c, ReasonCode.QOS_NOT_SUPPORTED, null);
            return;
        }
        if (p.retain() && !settings.retainAvailable()) {
            broker.disconnect(c, ReasonCode.RETAIN_NOT_SUPPORTED, null);
            return;
        }
        int id = p.packetId();
        Session s = c.session;
        if (qos == 2 && s.inboundQos2.contains(id)) {
            c.sendAck(PacketType.PUBREC, id, 0);  // a resend of a flow already received: do not deliver twice
            return;
        }
        if (qos > 0) {
            if (!c.inboundUnacked.contains(id) && c.inboundUnacked.size() >= settings.receiveMaximum()) {
                broker.disconnect(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, null);
                return;
            }
            c.inboundUnacked.add(id);
        }
        byte[] payload = new byte[p.payloadLength()];
        p.copyPayload(payload, 0);
        broker.publish(Message.of(topic, payload, qos, p.retain(), c.clientId, p.properties()));
        if (qos == 1) {
            c.sendAck(PacketType.PUBACK, id, 0);
        } else if (qos == 2) {
            s.inboundQos2.add(id);
            c.sendAck(PacketType.PUBREC, id, 0);
        }
    }

    void onPubrel(Connection c, int id) {
        boolean known = c.session.inboundQos2.remove(id);
        c.sendAck(PacketType.PUBCOMP, id, known ? 0 : 0x92);
        c.inboundUnacked.remove(id);
    }

    void onSubscribe(Connection c, SubscribeView v) {
        Session s = c.session;
        int identifier = v.properties().subscriptionIdentifierCount() > 0 ? v.properties().subscriptionIdentifier(0)
                : 0;
        int count = v.filterCount();
        byte[] codes = new byte[count];
        List<Subscription> fresh = new ArrayList<>();
        List<Boolean> existed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String filter = v.filter(i).toString();
            int granted = Math.min(v.maxQos(i), broker.settings().maximumQos());
            Subscription sub = new Subscription(filter, (v.options(i) & ~0b11) | granted, identifier);
            existed.add(s.subscriptions.put(filter, sub) != null);
            fresh.add(sub);
            codes[i] = (byte) granted;
        }
        int packetId = v.packetId();
        c.send(PacketType.SUBACK, 0, dst -> SubackEncoder.encode(dst, PacketType.SUBACK, c.version, packetId, null,
                codes, 0, count));
        for (int i = 0; i < fresh.size(); i++) {
            sendRetained(s, fresh.get(i), existed.get(i));
        }
    }

    /** Spec 3.3.1.3: retained messages go to a new subscription per its Retain Handling, never to shared ones. */
    private void sendRetained(Session s, Subscription sub, boolean existed) {
        if (sub.shared() || sub.retainHandling == 2 || (sub.retainHandling == 1 && existed)) {
            return;
        }
        List<Integer> ids = new ArrayList<>();
        if (sub.identifier > 0) {
            ids.add(sub.identifier);
        }
        for (Message m : new ArrayList<>(broker.retained().values())) {
            if (sub.matches(m.topicUtf8)) {
                broker.deliveries().deliver(s, m, Math.min(m.qos, sub.qos), true, ids);
            }
        }
    }

    void onUnsubscribe(Connection c, SubscribeView v) {
        int count = v.filterCount();
        byte[] codes = new byte[count];
        for (int i = 0; i < count; i++) {
            boolean removed = c.session.subscriptions.remove(v.filter(i).toString()) != null;
            codes[i] = (byte) (removed ? 0x00 : 0x11);
        }
        int packetId = v.packetId();
        int codeCount = c.mqtt5() ? count : 0;
        c.send(PacketType.UNSUBACK, 0, dst -> SubackEncoder.encode(dst, PacketType.UNSUBACK, c.version, packetId,
                null, codes, 0, codeCount));
    }
}
