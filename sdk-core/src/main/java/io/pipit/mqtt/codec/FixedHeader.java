package io.pipit.mqtt.codec;

import io.pipit.mqtt.ReasonCode;
import java.nio.ByteBuffer;

/**
 * The fixed header every packet starts with: a type-and-flags byte, then the Remaining Length as a
 * Variable Byte Integer. Stateless and allocation-free; safe from any thread.
 *
 * <p>{@link #read} is where a receiver learns how big a packet is. It refuses one that would exceed the
 * receiver's Maximum Packet Size as soon as the length is known, before any of its body is buffered,
 * so a hostile peer cannot make the client hold a 256 MB packet.
 */
public final class FixedHeader {
    /** What {@link #read} returns when the header itself has not fully arrived. */
    public static final long INCOMPLETE = -1L;
    /** The largest packet the protocol can express: 1 + 4 + 268,435,455 bytes. */
    public static final int MAX_PACKET_SIZE = 1 + 4 + VarInt.MAX_VALUE;

    private FixedHeader() {
    }

    /**
     * Reads the fixed header at {@code offset}.
     *
     * @param limit one past the last received byte
     * @param maximumPacketSize the largest whole packet (header included) this receiver accepts
     * @return {@code (headerLength << 32) | remainingLength}, or {@link #INCOMPLETE}
     * @throws MqttCodecException 0x81 for a bad Remaining Length, 0x95 for a packet over the maximum
     */
    public static long read(ByteBuffer buf, int offset, int limit, int maximumPacketSize) {
        if (offset >= limit) {
            return INCOMPLETE;
        }
        long packed = VarInt.read(buf, offset + 1, limit);
        if (packed == VarInt.INCOMPLETE) {
            return INCOMPLETE;
        }
        int headerLength = 1 + VarInt.size(packed);
        int remaining = VarInt.value(packed);
        if ((long) headerLength + remaining > maximumPacketSize) {
            String packet = PacketType.name((buf.get(offset) & 0xFF) >>> 4);
            throw new MqttCodecException(ReasonCode.PACKET_TOO_LARGE, offset, packet
                    + " of " + ((long) headerLength + remaining) + " bytes exceeds the Maximum Packet Size of "
                    + maximumPacketSize);
        }
        return ((long) headerLength << 32) | remaining;
    }

    /** @return the header-length half of a {@link #read} result */
    public static int headerLength(long packed) {
        return (int) (packed >>> 32);
    }

    /** @return the Remaining-Length half of a {@link #read} result */
    public static int remainingLength(long packed) {
        return (int) packed;
    }

    /**
     * @param remainingLength bytes after the fixed header
     * @return the whole packet's size on the wire
     * @throws IllegalArgumentException when the packet is too big for MQTT
     */
    public static int packetLength(int remainingLength) {
        return 1 + VarInt.sizeOf(remainingLength) + remainingLength;
    }

    /** Writes the fixed header at the buffer's position. */
    static void write(ByteBuffer dst, int type, int flags, int remainingLength) {
        dst.put((byte) (type << 4 | flags));
        VarInt.write(dst, remainingLength);
    }
}
