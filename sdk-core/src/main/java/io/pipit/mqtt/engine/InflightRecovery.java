package io.pipit.mqtt.engine;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.queue.InflightSink;
import io.pipit.mqtt.queue.OutboundQueue;
import java.nio.ByteBuffer;

/**
 * Puts the publishes a durable queue recovered as in flight (a previous process sent them and saw no
 * completion) back into the {@link OutboundWindow} with their Packet Identifiers, so the first connection
 * resends them (DUP set when the session is present) or their PUBREL, before anything new. Runs once per
 * engine, on the engine's thread, at the first CONNACK.
 */
final class InflightRecovery implements InflightSink {
    private final OutboundWindow window;
    private final PacketIdSet packetIds;
    private final ProtocolVersion version;

    private InflightRecovery(OutboundWindow window, PacketIdSet packetIds, ProtocolVersion version) {
        this.window = window;
        this.packetIds = packetIds;
        this.version = version;
    }

    /** @return how many publishes the window took back */
    static int recover(OutboundQueue queue, OutboundWindow window, PacketIdSet packetIds, ProtocolVersion version) {
        return queue.recover(new InflightRecovery(window, packetIds, version));
    }

    @Override
    public boolean accept(long sequence, int packetId, boolean released, ByteBuffer packet) {
        if (window.size() == window.capacity() || !packetIds.add(packetId)) {
            return false;
        }
        if (!version.isMqtt5()) {
            packet.position(packet.limit());
            OutgoingPublish.stripProperties(packet, 0); // the queue holds the MQTT 5 form
            packet.flip();
        }
        OutgoingPublish.patchPacketId(packet, 0, packetId); // the queue holds the placeholder identifier
        window.add(packetId, sequence, packet);
        if (released) {
            window.state(window.size() - 1, OutboundWindow.AWAITING_PUBCOMP);
        }
        return true;
    }
}
