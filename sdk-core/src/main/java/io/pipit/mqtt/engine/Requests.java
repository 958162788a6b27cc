package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.codec.FixedHeader;
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
    private ByteBuffer pending = ByteBuffer.allocate(512);

    int subscribe(ProtocolVersion version, PacketIdSet packetIds, byte[] filter, int options, int subscriptionId) {
        int packetId = packetIds.acquire();
        if (packetId == 0) {
            return 0;
        }
        encoder.subscribe(version, packetId).add(filter, version.isMqtt5() ? options : options & 0b11);
        if (version.isMqtt5()) {
            encoder.properties().addSubscriptionIdentifier(subscriptionId);
        }
        append();
        return packetId;
    }

    int unsubscribe(ProtocolVersion version, PacketIdSet packetIds, byte[] filter) {
        int packetId = packetIds.acquire();
        if (packetId == 0) {
            return 0;
        }
        encoder.unsubscribe(version, packetId).add(filter, 0);
        append();
        return packetId;
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
            pending.position(pending.position() + length);
        }
        boolean drained = !pending.hasRemaining();
        pending.compact();
        return drained;
    }

    void onAck(SubackView ack, PacketIdSet packetIds, EngineListener listener) {
        packetIds.remove(ack.packetId());
        listener.onSubscriptionAck(ack.packetId(), ack);
    }
}
