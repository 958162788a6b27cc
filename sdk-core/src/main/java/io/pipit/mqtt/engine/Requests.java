package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.SubackView;
import io.pipit.mqtt.codec.SubscribeEncoder;
import java.nio.ByteBuffer;

/**
 * SUBSCRIBE and UNSUBSCRIBE requests: encoded when asked for, written when the connection is up, their
 * Packet Identifiers held until the SUBACK or UNSUBACK. Subscribing is set-up work, so growing the pending
 * buffer here is acceptable; nothing in this class runs per message. Not thread-safe: engine thread only.
 */
final class Requests {
    private final SubscribeEncoder encoder = new SubscribeEncoder();
    private boolean subscriptionIdentifiers = true;
    /** Starts small: most clients subscribe a few filters; append() doubles it for more. */
    private ByteBuffer pending = ByteBuffer.allocate(64);
    /** Packet Identifier → Subscription Identifier (0 for UNSUBSCRIBE) of each request not yet answered. */
    private final java.util.Map<Integer, Integer> outstanding = new java.util.HashMap<>();
    /** Packet Identifiers of requests written to the current connection (the rest still wait in pending). */
    private final java.util.Set<Integer> sent = new java.util.HashSet<>();

    int subscribe(ProtocolVersion version, PacketIdSet packetIds, byte[] filter, int options, int subscriptionId) {
        int packetId = packetIds.acquire();
        if (packetId == 0) {
            return 0;
        }
        encoder.subscribe(version, packetId).add(filter, version.isMqtt5() ? options : options & 0b11);
        if (version.isMqtt5() && subscriptionIdentifiers) {
            encoder.properties().addSubscriptionIdentifier(subscriptionId);
        }
        append();
        outstanding.put(packetId, subscriptionId);
        return packetId;
    }

    int unsubscribe(ProtocolVersion version, PacketIdSet packetIds, byte[] filter) {
        int packetId = packetIds.acquire();
        if (packetId == 0) {
            return 0;
        }
        encoder.unsubscribe(version, packetId).add(filter, 0);
        append();
        outstanding.put(packetId, 0);
        return packetId;
    }

    /**
     * Whether the server takes Subscription Identifiers (CONNACK says; spec 3.2.2.3.12). Without them, messages
     * are routed by matching their topic against our filters instead.
     */
    void subscriptionIdentifiers(boolean available) {
        this.subscriptionIdentifiers = available;
    }

    private void append() {
        int length = encoder.encodedLength();
        if (pending.remaining() < length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + length));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        encoder.encode(pending);
    }

    /** Writes whole pending requests while they fit; @return true when none is left */
    boolean drainTo(ByteBuffer dst) {
        pending.flip();
        while (pending.hasRemaining()) {
            long header = FixedHeader.read(pending, pending.position(), pending.limit(), FixedHeader.MAX_PACKET_SIZE);
            int length = FixedHeader.headerLength(header) + FixedHeader.remainingLength(header);
            if (dst.remaining() < length) {
                break;
            }
            ByteBuffer packet = pending.duplicate();
            packet.limit(pending.position() + length);
            dst.put(packet);
            int idAt = pending.position() + FixedHeader.headerLength(header);
            sent.add((pending.get(idAt) & 0xFF) << 8 | (pending.get(idAt + 1) & 0xFF));
            pending.position(pending.position() + length);
        }
        boolean drained = !pending.hasRemaining();
        pending.compact();
        return drained;
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

    private boolean isPending(int subscriptionId) {
        for (java.util.Map.Entry<Integer, Integer> request : outstanding.entrySet()) {
            if (request.getValue() == subscriptionId && !sent.contains(request.getKey())) {
                return true;
            }
        }
        return false;
    }

    /**
     * After CONNACK: subscribes again to every filter when the server kept no session, else to those whose
     * SUBSCRIBE was never acknowledged.
     */
    void resubscribe(ProtocolVersion version, PacketIdSet packetIds, SubscriptionTable subscriptions,
            boolean sessionPresent) {
        for (int i = 0; i < subscriptions.size(); i++) {
            boolean needed = !sessionPresent || !subscriptions.isAcknowledged(i);
            if (needed && !isPending(subscriptions.identifier(i))) {
                subscribe(version, packetIds, subscriptions.filter(i), subscriptions.options(i),
                        subscriptions.identifier(i));
            }
        }
    }
}
