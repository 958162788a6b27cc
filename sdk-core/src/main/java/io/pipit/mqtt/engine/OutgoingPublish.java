package io.pipit.mqtt.engine;

import io.pipit.mqtt.codec.VarInt;
import java.nio.ByteBuffer;

/**
 * Edits an already encoded PUBLISH in place, so queued packets are encoded once by the publishing thread
 * and only stamped by the engine: the Packet Identifier is chosen when the packet enters the in-flight
 * window, not when it is queued (a queued packet may outlive several connections).
 */
final class OutgoingPublish {
    private OutgoingPublish() {
    }

    /**
     * Turns the MQTT 5.0 PUBLISH from {@code at} to {@code buf}'s position into its 3.1.1 form by removing the
     * property section and shrinking the Remaining Length, moving the bytes in place. The buffer's position
     * moves back by the bytes removed. Used for packets queued before a fallback to 3.1.1; properties have no
     * 3.1.1 form, so they are dropped.
     */
    static void stripProperties(ByteBuffer buf, int at) {
        int end = buf.position();
        int oldHeader = 1;
        while ((buf.get(at + oldHeader) & 0x80) != 0) {
            oldHeader++;
        }
        oldHeader++;
        int remaining = end - at - oldHeader;
        int index = at + oldHeader;
        index += 2 + ((buf.get(index) & 0xFF) << 8 | (buf.get(index + 1) & 0xFF));
        if (((buf.get(at) >>> 1) & 0b11) > 0) {
            index += 2;
        }
        long properties = VarInt.read(buf, index, end);
        int propertiesLength = VarInt.size(properties) + VarInt.value(properties);
        int newRemaining = remaining - propertiesLength;
        int newHeader = 1 + VarInt.sizeOf(newRemaining);
        // Move the variable header before the properties, then the payload after them, to their new places.
        int beforeProperties = index - (at + oldHeader);
        moveBytes(buf, at + oldHeader, at + newHeader, beforeProperties);
        moveBytes(buf, index + propertiesLength, at + newHeader + beforeProperties, end - index - propertiesLength);
        buf.position(at + 1);
        VarInt.write(buf, newRemaining);
        buf.position(at + newHeader + newRemaining);
    }

    /** Moves {@code length} bytes from {@code from} to {@code to <= from} within {@code buf}. */
    private static void moveBytes(ByteBuffer buf, int from, int to, int length) {
        for (int i = 0; i < length; i++) {
            buf.put(to + i, buf.get(from + i));
        }
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
