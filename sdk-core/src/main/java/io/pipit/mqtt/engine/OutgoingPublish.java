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

    /**
     * Adds a Topic Alias to the MQTT 5.0 PUBLISH from {@code at} to {@code buf}'s position, and drops its
     * topic when the alias is already known to the server. Rewrites in place through {@code scratch}; the
     * position moves to the packet's new end. Leaves the packet as it is when {@code buf} lacks the 5 bytes
     * an alias may add.
     *
     * @param scratch at least as large as the packet
     */
    static void applyAlias(ByteBuffer buf, int at, OutgoingAliases aliases, byte[] scratch) {
        int end = buf.position();
        if (buf.limit() - end < 5) { // +3 for the property, +1 each if two lengths need a byte more
            return;
        }
        int header = 2;
        while ((buf.get(at + header - 1) & 0x80) != 0) {
            header++;
        }
        int topicAt = at + header + 2;
        int topicLength = (buf.get(at + header) & 0xFF) << 8 | (buf.get(at + header + 1) & 0xFF);
        int alias = aliases.aliasFor(buf, topicAt, topicLength);
        boolean keepTopic = alias < 0;
        alias = Math.abs(alias);
        int index = topicAt + topicLength + (((buf.get(at) >>> 1) & 0b11) > 0 ? 2 : 0);
        long properties = VarInt.read(buf, index, end);
        int oldPropertiesLength = VarInt.value(properties);
        int afterProperties = index + VarInt.size(properties) + oldPropertiesLength;
        int n = 0;
        int newTopicLength = keepTopic ? topicLength : 0;
        scratch[n++] = (byte) (newTopicLength >>> 8);
        scratch[n++] = (byte) newTopicLength;
        n = copy(buf, topicAt, newTopicLength, scratch, n);
        n = copy(buf, topicAt + topicLength, index - topicAt - topicLength, scratch, n); // packet identifier
        int newPropertiesLength = oldPropertiesLength + 3;
        n = VarInt.write(scratch, n, newPropertiesLength);
        scratch[n++] = 0x23; // Topic Alias
        scratch[n++] = (byte) (alias >>> 8);
        scratch[n++] = (byte) alias;
        n = copy(buf, index + VarInt.size(properties), oldPropertiesLength, scratch, n);
        n = copy(buf, afterProperties, end - afterProperties, scratch, n);
        buf.position(at + 1);
        VarInt.write(buf, n);
        buf.put(scratch, 0, n);
    }

    private static int copy(ByteBuffer from, int offset, int length, byte[] to, int at) {
        for (int i = 0; i < length; i++) {
            to[at + i] = from.get(offset + i);
        }
        return at + length;
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
