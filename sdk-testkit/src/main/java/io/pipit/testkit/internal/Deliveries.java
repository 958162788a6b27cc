package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.AckView;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PublishEncoder;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages from the broker to a client (spec 4.3, 4.4, 4.9): QoS 0 goes out at once or is dropped while the
 * client is offline; QoS 1 and 2 are queued in the session and sent while fewer than the client's Receive
 * Maximum are in flight, resent with DUP (or PUBREL resent) when the session resumes, and retired by PUBACK,
 * PUBREC/PUBREL/PUBCOMP. A message over the client's Maximum Packet Size is dropped, as spec 3.1.2.24 says.
 *
 * <p>Thread-safety: confined to the loop thread.
 */
final class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;

    private final Broker broker;

    Deliveries(Broker broker) {
        this.broker = broker;
    }

    void deliver(Session s, Message m, int qos, boolean retain, List<Integer> subscriptionIds) {
        Delivery d = new Delivery(m, qos, retain, subscriptionIds);
        if (qos == 0) {
            if (s.connection != null && s.connection.state == Connection.State.CONNECTED) {
                send(s.connection, d, false);
            }
            return;
        }
        s.queued.add(d);
        pump(s);
    }

    /** Sends queued messages while the client's Receive Maximum allows. */
    void pump(Session s) {
        Connection c = s.connection;
        if (c == null || c.state != Connection.State.CONNECTED) {
            return;
        }
        long now = System.nanoTime();
        while (!s.queued.isEmpty() && s.inflight.size() < c.clientReceiveMaximum) {
            Delivery d = s.queued.poll();
            if (d.message.expired(now)) {
                continue;
            }
            d.packetId = s.allocatePacketId();
            s.inflight.put(d.packetId, d);
            if (!send(c, d, false)) {
                s.inflight.remove(d.packetId);
            }
        }
    }

    /** Resends what was in flight when the session's last connection ended, then sends the queue. */
    void resume(Session s) {
        Connection c = s.connection;
        for (Iterator<Delivery> it = s.inflight.values().iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.released) {
                c.sendAck(PacketType.PUBREL, d.packetId, 0);
            } else if (!send(c, d, true)) {
                it.remove();
            }
        }
        pump(s);
    }

    /** @return false when the message was too large for the client and dropped */
    private boolean send(Connection c, Delivery d, boolean dup) {
        Message m = d.message;
        MqttProperties props = c.mqtt5() ? m.outgoing(d.subscriptionIds, System.nanoTime()) : null;
        int length = PublishEncoder.encodedLength(c.version, m.topicUtf8.length, d.qos, props, m.payload.length);
        if (length > c.clientMaximumPacketSize) {
            LOG.debug("dropping {} for {}: {} bytes exceed its Maximum Packet Size of {}", m, c, length,
                    c.clientMaximumPacketSize);
            return false;
        }
        byte[] topic = alias(c, m, props);
        c.send(PacketType.PUBLISH, 0, dst -> PublishEncoder.encode(dst, c.version, topic, d.qos, dup, d.retain,
                d.packetId, props, ByteBuffer.wrap(m.payload)));
        return true;
    }

    /**
     * With alias assignment on: adds a Topic Alias to {@code props} when the client takes them, and returns
     * the topic to send, empty once the client knows the alias.
     */
    private byte[] alias(Connection c, Message m, MqttProperties props) {
        if (props == null || !broker.settings().assignTopicAliases() || c.clientTopicAliasMaximum == 0) {
            return m.topicUtf8;
        }
        String topic = new String(m.topicUtf8, java.nio.charset.StandardCharsets.UTF_8);
        Integer known = c.outgoingAliases.get(topic);
        if (known != null) {
            props.put(io.pipit.mqtt.codec.Property.TOPIC_ALIAS, known);
            return new byte[0];
        }
        if (c.outgoingAliases.size() < c.clientTopicAliasMaximum) {
            int alias = c.outgoingAliases.size() + 1;
            c.outgoingAliases.put(topic, alias);
            props.put(io.pipit.mqtt.codec.Property.TOPIC_ALIAS, alias);
        }
        return m.topicUtf8;
    }

    /** PUBACK, PUBREC or PUBCOMP from the client. */
    void onAck(Connection c, AckView ack) {
        Session s = c.session;
        int id = ack.packetId();
        Delivery d = s.inflight.get(id);
        switch (ack.type()) {
            case PacketType.PUBACK:
                if (d != null && d.qos == 1) {
                    s.inflight.remove(id);
                }
                break;
            case PacketType.PUBREC:
                if (d == null || d.qos != 2) {
                    c.sendAck(PacketType.PUBREL, id, PACKET_IDENTIFIER_NOT_FOUND);
                } else if (ack.reasonCode() >= 0x80) {
                    s.inflight.remove(id);
                } else {
                    d.released = true;
                    c.sendAck(PacketType.PUBREL, id, 0);
                }
                break;
            default:
                if (d != null && d.released) {
                    s.inflight.remove(id);
                }
                break;
        }
        pump(s);
    }
}
