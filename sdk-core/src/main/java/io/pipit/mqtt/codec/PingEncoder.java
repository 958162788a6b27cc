package io.pipit.mqtt.codec;

import java.nio.ByteBuffer;

/**
 * Encodes PINGREQ and PINGRESP (spec 3.12, 3.13): a type byte and a Remaining Length of 0, nothing else.
 * Stateless and allocation-free; safe from any thread as long as each thread has its own buffer.
 *
 * <p>There is no view for these packets: once the dispatcher has checked the flags and the Remaining
 * Length of 0, the type is all there is to know.
 */
public final class PingEncoder {
    /** Every PINGREQ and PINGRESP is this many bytes. */
    public static final int PACKET_LENGTH = 2;

    private PingEncoder() {
    }

    /**
     * @param type {@link PacketType#PINGREQ} or {@link PacketType#PINGRESP}
     * @return {@link #PACKET_LENGTH}
     * @throws IllegalArgumentException for any other type
     */
    public static int encodedLength(int type) {
        checkType(type);
        return PACKET_LENGTH;
    }

    /**
     * Writes a PINGREQ or PINGRESP at {@code dst}'s position.
     *
     * @param type {@link PacketType#PINGREQ} or {@link PacketType#PINGRESP}
     * @return {@link #PACKET_LENGTH}, or -1 when {@code dst} has too little room (it is then untouched)
     * @throws IllegalArgumentException for any other type
     */
    public static int encode(ByteBuffer dst, int type) {
        checkType(type);
        if (dst.remaining() < PACKET_LENGTH) {
            return -1;
        }
        dst.put((byte) (type << 4)).put((byte) 0);
        return PACKET_LENGTH;
    }

    private static void checkType(int type) {
        if (type != PacketType.PINGREQ && type != PacketType.PINGRESP) {
            throw new IllegalArgumentException("PingEncoder writes PINGREQ and PINGRESP, not " + PacketType.name(type));
        }
    }
}
