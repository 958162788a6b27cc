package io.pipit.mqtt.codec;

import io.pipit.mqtt.ReasonCode;

/**
 * The one exception the codec throws for bytes that break the MQTT specification. It carries the MQTT 5
 * reason code to answer with (DISCONNECT or CONNACK), the offset in the buffer where decoding stopped,
 * and a message saying what was wrong and where.
 *
 * <p>Decoders throw nothing else for any input: no {@code IndexOutOfBoundsException}, no
 * {@code BufferUnderflowException}. Only malformed input reaches this path, so its allocation is not
 * part of the zero-allocation steady state. Misuse of an encoder (a value the caller should never have
 * passed) is an {@link IllegalArgumentException} instead: that is our bug, not the peer's.
 */
public final class MqttCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int reasonCode;
    private final int offset;

    /**
     * @param reasonCode the MQTT 5 reason code the receiver should answer with, e.g. 0x81
     * @param offset index in the buffer where the problem was found, or -1 when not tied to one
     * @param detail what was wrong, in words
     */
    public MqttCodecException(int reasonCode, int offset, String detail) {
        super(ReasonCode.describe(reasonCode) + ": " + detail + (offset >= 0 ? " (at offset " + offset + ")" : ""));
        this.reasonCode = reasonCode;
        this.offset = offset;
    }

    /** @return the MQTT 5 reason code, e.g. {@link ReasonCode#MALFORMED_PACKET} */
    public int reasonCode() {
        return reasonCode;
    }

    /** @return index in the decoded buffer where the problem was found, or -1 */
    public int offset() {
        return offset;
    }

    static MqttCodecException malformed(int offset, String detail) {
        return new MqttCodecException(ReasonCode.MALFORMED_PACKET, offset, detail);
    }

    static MqttCodecException protocolError(int offset, String detail) {
        return new MqttCodecException(ReasonCode.PROTOCOL_ERROR, offset, detail);
    }
}
