package io.pipit.mqtt.queue;

import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.VarInt;
import java.nio.ByteBuffer;

/**
 * Message Expiry in queued MQTT 5 PUBLISH packets (spec 3.3.2.3.3): where the interval sits in a packet
 * (found once, when it is queued), whether it passed while the packet waited, and the lowered interval a
 * sent packet must carry. Stateless; allocation-free.
 */
final class MessageExpiry {
    /** What {@link #find} returns for a packet without a Message Expiry Interval. */
    static final int NONE = 0;

    private MessageExpiry() {
    }

    /**
     * @return the offset of the 4-byte Message Expiry Interval value from the packet's first byte, or
     *     {@link #NONE}; the packet is the MQTT 5 PUBLISH from {@code packet}'s position to its limit
     */
    static int find(ByteBuffer packet) {
        try {
            return scan(packet);
        } catch (MqttCodecException | IndexOutOfBoundsException e) {
            return NONE; // not a PUBLISH our encoder wrote (only tests queue such bytes): nothing expires
        }
    }

    private static int scan(ByteBuffer packet) {
        int at = packet.position();
        int end = packet.limit();
        if (end - at < 4 || (packet.get(at) & 0xF0) != 0x30) {
            return NONE; // not a PUBLISH
        }
        long remaining = VarInt.read(packet, at + 1, end);
        int index = at + 1 + VarInt.size(remaining);
        if (remaining < 0 || index + 2 > end) {
            return NONE;
        }
        index += 2 + length(packet, index);
        if (((packet.get(at) >>> 1) & 0b11) > 0) {
            index += 2;
        }
        long properties = index < end ? VarInt.read(packet, index, end) : -1;
        if (properties < 0) {
            return NONE;
        }
        index += VarInt.size(properties);
        int propertiesEnd = Math.min(end, index + VarInt.value(properties));
        while (index < propertiesEnd) {
            int id = packet.get(index++);
            if (id == Property.MESSAGE_EXPIRY_INTERVAL) {
                return index + 4 <= end ? index - at : NONE;
            }
            index = skipValue(packet, index, id, propertiesEnd);
        }
        return NONE;
    }

    private static int skipValue(ByteBuffer packet, int index, int id, int end) {
        switch (Property.isDefined(id) ? Property.type(id) : 0) {
            case Property.TYPE_BYTE: return index + 1;
            case Property.TYPE_TWO_BYTE: return index + 2;
            case Property.TYPE_FOUR_BYTE: return index + 4;
            case Property.TYPE_VAR_INT: return index + VarInt.size(VarInt.read(packet, index, end));
            case Property.TYPE_UTF8:
            case Property.TYPE_BINARY: return index + 2 + length(packet, index);
            case Property.TYPE_UTF8_PAIR:
                int second = index + 2 + length(packet, index);
                return second + 2 + length(packet, second);
            default: return end; // not a property our encoder writes: stop looking
        }
    }

    private static int length(ByteBuffer packet, int index) {
        return (packet.get(index) & 0xFF) << 8 | (packet.get(index + 1) & 0xFF);
    }

    /**
     * For the packet just copied to {@code packet} at {@code at}: either reports it expired, or lowers its
     * interval by the whole seconds it waited.
     *
     * @param offset what {@link #find} returned when it was queued
     * @return true when the interval has passed: the packet must not be sent
     */
    static boolean expireOrAge(ByteBuffer packet, int at, int offset, long queuedMs, long nowMs) {
        if (offset == NONE) {
            return false;
        }
        long intervalS = packet.getInt(at + offset) & 0xFFFF_FFFFL;
        long waitedMs = Math.max(0, nowMs - queuedMs);
        if (waitedMs > 0 && waitedMs >= intervalS * 1000) {
            return true;
        }
        packet.putInt(at + offset, (int) (intervalS - waitedMs / 1000)); // at least 1 s left here
        return false;
    }
}
