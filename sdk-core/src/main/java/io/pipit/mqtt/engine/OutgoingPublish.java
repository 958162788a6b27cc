package io.pipit.mqtt.engine;

import java.nio.ByteBuffer;

/**
 * Edits an already encoded PUBLISH in place, so queued packets are encoded once by the publishing thread
 * and only stamped by the engine: the Packet Identifier is chosen when the packet enters the in-flight
 * window, not when it is queued (a queued packet may outlive several connections).
 */
final class OutgoingPublish {
    private OutgoingPublish() {
    }

    /** Writes {@code packetId} into the PUBLISH that starts at {@code at} in {@code buf} (absolute). */
    static void patchPacketId(ByteBuffer buf, int at, int packetId) {
        int index = at + 1;
        while ((buf.get(index) & 0x80) != 0) {
            index++; // skip the Remaining Length's continuation bytes
        }
        index++;
        int topicLength = (buf.get(index) & 0xFF) << 8 | (buf.get(index + 1) & 0xFF);
        index += 2 + topicLength;
        buf.put(index, (byte) (packetId >>> 8));
        buf.put(index + 1, (byte) packetId);
    }
}
