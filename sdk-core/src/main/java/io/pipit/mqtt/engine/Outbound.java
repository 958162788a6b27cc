package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our publishes: taken from the {@link OutboundQueue} in order while the server's receive window has room,
 * stamped with a Packet Identifier, kept in the {@link OutboundWindow} until acknowledged, and resent after a
 * reconnect. The queue hears each step (sent with which Packet Identifier, PUBREC, completed) so a durable
 * queue can hand the in-flight set back after a process restart: on the first CONNACK, before anything new
 * is sent. Not thread-safe: engine thread only.
 */
final class Outbound {
    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);
    private final OutboundQueue queue;
    private final OutboundWindow window;
    private final PacketIdSet packetIds;
    private final AckQueue acks;
    private final EngineListener listener;
    private int sendWindow;
    private int resendIndex;
    private boolean resendAsDuplicate;
    private long serverMaximumPacketSize = FixedHeader.MAX_PACKET_SIZE;
    private final OutgoingAliases aliases;
    private byte[] scratch = new byte[0];
    private boolean warnedQos2AsQos1;
    /** A long-lived view of the send buffer, re-pointed per packet: a fresh duplicate() would allocate. */
    private ByteBuffer sendView;
    private ByteBuffer sendViewOf;
    private boolean recovered;
    /** The window holds packets in MQTT 5.0 form (until a fallback to 3.1.1 converts them). */
    private boolean windowInMqtt5;

    /** @param aliasCap most outgoing topic aliases to use (0 = never alias) */
    Outbound(OutboundQueue queue, int maxInflight, int aliasCap, PacketIdSet packetIds, AckQueue acks,
            EngineListener listener) {
        this.aliases = new OutgoingAliases(aliasCap);
        this.queue = queue;
        this.window = new OutboundWindow(maxInflight);
        this.packetIds = packetIds;
        this.acks = acks;
        this.listener = listener;
    }

    /**
     * A CONNACK accepted the connection: adopt the server's limits and resend what is unacknowledged.
     *
     * @param sessionPresent when false the server remembers nothing, so resends are first deliveries to it
     *     (DUP clear); they are still sent, because at-least-once means the message must reach it
     */
    void onConnected(boolean sessionPresent, long receiveMaximum, long maximumPacketSize, int topicAliasMaximum,
            ProtocolVersion protocolVersion) {
        if (!recovered) {
            recovered = true; // a previous run's in-flight publishes go first, with their Packet Identifiers
            InflightRecovery.recover(queue, window, packetIds, protocolVersion);
        }
        if (windowInMqtt5 && !protocolVersion.isMqtt5()) {
            window.stripProperties(); // sent on a 5.0 connection, resent on this 3.1.1 one after a fallback
        }
        windowInMqtt5 = protocolVersion.isMqtt5();
        sendWindow = (int) Math.min(window.capacity(), receiveMaximum);
        window.reserve(sendWindow);
        aliases.reset(topicAliasMaximum);
        serverMaximumPacketSize = maximumPacketSize;
        resendIndex = 0;
        resendAsDuplicate = sessionPresent;
    }

    long serverMaximumPacketSize() {
        return serverMaximumPacketSize;
    }

    int inflightCount() {
        return window.size();
    }

    /** @return true while the server's receive window has room for another QoS 1 or 2 publish */
    boolean windowOpen() {
        return window.size() < sendWindow;
    }

    /** Writes the resends due since the last CONNACK; @return false when {@code dst} ran out of room */
    boolean resend(ByteBuffer dst) {
        for (; resendIndex < window.size(); resendIndex++) {
            if (window.state(resendIndex) == OutboundWindow.AWAITING_PUBCOMP) {
                acks.add(PacketType.PUBREL, window.packetId(resendIndex), ReasonCode.SUCCESS);
            } else if (dst.remaining() < window.length(resendIndex)) {
                return false;
            } else {
                window.copy(resendIndex, dst, resendAsDuplicate);
            }
        }
        return true;
    }

    /** Moves queued publishes into {@code dst} while the receive window and {@code dst} have room. */
    void writePublishes(ByteBuffer dst, ProtocolVersion version) {
        while (window.size() < sendWindow) {
            int at = dst.position();
            long sequence = queue.poll(dst);
            if (sequence < 0) {
                return;
            }
            if (!version.isMqtt5()) {
                OutgoingPublish.stripProperties(dst, at); // the queue holds the MQTT 5 form
            }
            if (dst.position() - at > serverMaximumPacketSize) {
                refuseTooLarge(dst, at, sequence);
                continue;
            }
            int qos = (dst.get(at) >>> 1) & 0b11;
            if (qos == 0) {
                alias(dst, at, version);
                queue.completed(sequence);
                listener.onPublishCompleted(sequence, ReasonCode.SUCCESS);
                continue;
            }
            int packetId = packetIds.acquire();
            OutgoingPublish.patchPacketId(dst, at, packetId);
            queue.sent(sequence, packetId); // before the packet can leave: a durable queue must know its id
            // stored without alias, since aliases die with the connection and a resend may need the topic
            window.add(packetId, sequence, view(dst, at, dst.position()));
            resendIndex++; // sent fresh on this connection: nothing to resend
            alias(dst, at, version);
        }
    }

    /**
     * Takes back the PUBLISH just polled to {@code dst} at {@code at}: it is over the server's Maximum Packet Size,
     * and spec 3.1.2.11.4 forbids sending it. The publish completes with 0x95, and the log says so each time: the
     * publish listener may ignore reason codes, and a message that never left would otherwise vanish without a
     * word. Only this path logs (and boxes the two numbers), so publishes that fit allocate nothing.
     */
    private void refuseTooLarge(ByteBuffer dst, int at, long sequence) {
        int size = dst.position() - at;
        dst.position(at);
        queue.completed(sequence);
        LOG.warn("publish {} not sent: its PUBLISH of {} bytes is over the server's Maximum Packet Size of {} bytes;"
                + " completed with 0x95 Packet too large", sequence, size, serverMaximumPacketSize);
        listener.onPublishCompleted(sequence, ReasonCode.PACKET_TOO_LARGE);
    }

    private ByteBuffer view(ByteBuffer dst, int from, int to) {
        if (sendViewOf != dst) {
            sendView = dst.duplicate();
            sendViewOf = dst;
        }
        sendView.clear();
        sendView.position(from);
        sendView.limit(to);
        return sendView;
    }

    private void alias(ByteBuffer dst, int at, ProtocolVersion version) {
        int length = dst.position() - at;
        if (version.isMqtt5() && aliases.isEnabled() && length + 5 <= serverMaximumPacketSize) {
            if (scratch.length < length + 5) {
                // The largest packet aliased so far (+5 for the property and longer lengths), a power of two:
                // grows a few times at most, never per message, and stays small for small packets.
                scratch = new byte[Integer.highestOneBit(2 * (length + 5) - 1) << 1]; // headroom, as for publishes
            }
            OutgoingPublish.applyAlias(dst, at, aliases, scratch);
        }
    }

    /** Handles PUBACK, PUBREC or PUBCOMP for one of our publishes. */
    void onAck(int type, int packetId, int reasonCode) {
        int index = window.indexOf(packetId);
        if (index < 0) {
            if (type == PacketType.PUBREC) {
                acks.add(PacketType.PUBREL, packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
            }
            return; // a late duplicate of an ack already handled: nothing to complete
        }
        boolean awaitingPubcomp = window.state(index) == OutboundWindow.AWAITING_PUBCOMP;
        if (type == PacketType.PUBREC && awaitingPubcomp) {
            // a repeated PUBREC: mosquitto resends them when a session resumes; answer again, PUBREL is idempotent
            acks.add(PacketType.PUBREL, packetId, ReasonCode.SUCCESS);
            return;
        }
        if (type == PacketType.PUBREC && !awaitingPubcomp && !ReasonCode.isError(reasonCode)) {
            window.state(index, OutboundWindow.AWAITING_PUBCOMP);
            queue.released(window.sequence(index));
            acks.add(PacketType.PUBREL, packetId, ReasonCode.SUCCESS);
            return;
        }
        if ((type == PacketType.PUBCOMP) != awaitingPubcomp) {
            throw new MqttCodecException(ReasonCode.PROTOCOL_ERROR, -1, PacketType.name(type)
                    + " for Packet Identifier " + packetId + " out of turn");
        }
        if (type == PacketType.PUBACK && window.qos(index) == 2 && !warnedQos2AsQos1) {
            // RabbitMQ 3.x answers a QoS 2 PUBLISH with PUBACK: it took the message at QoS 1. It did take it, so
            // the publish completes, but the application should know its exactly-once became at-least-once.
            warnedQos2AsQos1 = true;
            LOG.warn("the server answered a QoS 2 PUBLISH with PUBACK: it accepted the message at QoS 1 (at least "
                    + "once, not exactly once); publish at QoS 1 to this server");
        }
        long sequence = window.sequence(index);
        if (type == PacketType.PUBCOMP) {
            // PUBREC already proved delivery; a PUBCOMP 0x92 answers a PUBREL resent during recovery, and spec
            // 3.7.2.1 says that is not an error
            reasonCode = ReasonCode.SUCCESS;
        }
        window.remove(index);
        if (index < resendIndex) {
            resendIndex--;
        }
        packetIds.remove(packetId);
        queue.completed(sequence);
        listener.onPublishCompleted(sequence, reasonCode);
    }
}
