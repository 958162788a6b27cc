package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.codec.SubscribeEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * SUBSCRIBE and UNSUBSCRIBE requests: given a Packet Identifier when asked for, kept as requests (filter,
 * options, Subscription Identifier) and encoded only when written to a connection that has its CONNACK, their
 * Packet Identifiers held until the SUBACK or UNSUBACK.
 *
 * <p>Why not encode when asked: a request made before the first CONNACK does not know the protocol it will
 * travel in. A 5.0 CONNECT may fall back to 3.1.1, where a SUBSCRIBE with a properties section is malformed
 * (RabbitMQ 3.x closes the connection on it), and the CONNACK may say the server takes no Subscription
 * Identifiers. Encoding at write time uses what the CONNACK decided. Subscribing is set-up work, so the
 * per-request objects here are acceptable; nothing in this class runs per message, and a drain with no request
 * waiting allocates nothing. Not thread-safe: engine thread only.
 */
final class Requests {
    /** One request not yet written. */
    private static final class Request {
        final int type;
        final int packetId;
        final byte[] filter;
        final int options;
        final int subscriptionId;

        Request(int type, int packetId, byte[] filter, int options, int subscriptionId) {
            this.type = type;
            this.packetId = packetId;
            this.filter = filter;
            this.options = options;
            this.subscriptionId = subscriptionId;
        }
    }

    private final SubscribeEncoder encoder = new SubscribeEncoder();
    private boolean subscriptionIdentifiers = true;
    /** Requests not yet written, oldest first; they survive a lost connection and go out on the next. */
    private final ArrayDeque<Request> pending = new ArrayDeque<>();
    /** Packet Identifier → Subscription Identifier (0 for UNSUBSCRIBE) of each request not yet answered. */
    private final Map<Integer, Integer> outstanding = new HashMap<>();
    /** Packet Identifiers of requests written to the current connection. */
    private final Set<Integer> sent = new HashSet<>();

    /**
     * Checks what a SUBSCRIBE would carry, so bad input fails the request now, not the connection later.
     *
     * @throws IllegalArgumentException for an invalid filter, or options {@code version} cannot carry
     */
    void check(ProtocolVersion version, byte[] filter, int options) {
        encoder.subscribe(version, 1).add(filter, version.isMqtt5() ? options : options & 0b11);
    }

    int subscribe(PacketIdSet packetIds, byte[] filter, int options, int subscriptionId) {
        return add(PacketType.SUBSCRIBE, packetIds, filter, options, subscriptionId);
    }

    /** @throws IllegalArgumentException for an invalid filter, checked now for the reason {@link #check} gives */
    int unsubscribe(PacketIdSet packetIds, byte[] filter) {
        encoder.unsubscribe(ProtocolVersion.MQTT_5, 1).add(filter, 0);
        return add(PacketType.UNSUBSCRIBE, packetIds, filter, 0, 0);
    }

    private int add(int type, PacketIdSet packetIds, byte[] filter, int options, int subscriptionId) {
        int packetId = packetIds.acquire();
        if (packetId == 0) {
            return 0;
        }
        pending.add(new Request(type, packetId, filter, options, subscriptionId));
        outstanding.put(packetId, subscriptionId);
        return packetId;
    }

    /**
     * Whether the server takes Subscription Identifiers (CONNACK says; spec 3.2.2.3.12). Without them, messages
     * are routed by matching their topic against our filters instead.
     */
    void subscriptionIdentifiers(boolean available) {
        this.subscriptionIdentifiers = available;
    }

    /**
     * Encodes and writes whole pending requests in {@code version} while they fit; connected only, so the
     * version and the server's support for Subscription Identifiers are those its CONNACK settled.
     *
     * @return true when none is left
     */
    boolean drainTo(ByteBuffer dst, ProtocolVersion version) {
        Request request;
        while ((request = pending.peek()) != null) {
            if (request.type == PacketType.SUBSCRIBE) {
                // 3.1.1 has only the QoS bits; No Local, Retain As Published and Retain Handling are reserved there
                encoder.subscribe(version, request.packetId).add(request.filter,
                        version.isMqtt5() ? request.options : request.options & 0b11);
                if (version.isMqtt5() && subscriptionIdentifiers) {
                    encoder.properties().addSubscriptionIdentifier(request.subscriptionId);
                }
            } else {
                encoder.unsubscribe(version, request.packetId).add(request.filter, 0);
            }
            if (encoder.encode(dst) < 0) {
                return false;
            }
            pending.poll();
            sent.add(request.packetId);
        }
        return true;
    }

    /** @return true while the request with {@code packetId} waits to be written (it is not lost with a connection) */
    boolean isPending(int packetId) {
        return outstanding.containsKey(packetId) && !sent.contains(packetId);
    }

    void onAck(SubackView ack, PacketIdSet packetIds, SubscriptionTable subscriptions, EngineListener listener) {
        Integer subscriptionId = outstanding.remove(ack.packetId());
        if (subscriptionId == null) {
            return; // an answer to a request of an earlier connection, already given up on
        }
        sent.remove(ack.packetId());
        packetIds.remove(ack.packetId());
        if (ack.type() == PacketType.SUBACK && subscriptionId > 0) {
            boolean granted = ack.reasonCodeCount() > 0 && !ReasonCode.isError(ack.reasonCode(0));
            subscriptions.acknowledge(subscriptionId, granted);
        }
        listener.onSubscriptionAck(ack.packetId(), ack);
    }

    /**
     * A new connection: requests written to the old one will never be answered, so their identifiers are
     * freed ({@link #resubscribe} restores the subscriptions that matter after CONNACK); requests not yet
     * written wait for the new connection.
     */
    void onNewConnection(PacketIdSet packetIds) {
        for (Integer packetId : sent) {
            packetIds.remove(packetId);
            outstanding.remove(packetId);
        }
        sent.clear();
    }

    private boolean isSubscribePending(int subscriptionId) {
        for (Request request : pending) {
            if (request.type == PacketType.SUBSCRIBE && request.subscriptionId == subscriptionId) {
                return true;
            }
        }
        return false;
    }

    /**
     * After CONNACK: subscribes again to every filter when the server kept no session, else to those whose
     * SUBSCRIBE was never acknowledged. Without a session every subscription also counts as unacknowledged
     * until this connection's SUBACK: should the connection end before it, a next CONNACK with Session Present
     * (a session the server began with this connection's CONNECT, holding nothing) must not make us skip it.
     */
    void resubscribe(PacketIdSet packetIds, SubscriptionTable subscriptions, boolean sessionPresent) {
        for (int i = 0; i < subscriptions.size(); i++) {
            if (!sessionPresent) {
                subscriptions.unacknowledge(i);
            }
            if (!subscriptions.isAcknowledged(i) && !isSubscribePending(subscriptions.identifier(i))) {
                subscribe(packetIds, subscriptions.filter(i), subscriptions.options(i), subscriptions.identifier(i));
            }
        }
    }
}
