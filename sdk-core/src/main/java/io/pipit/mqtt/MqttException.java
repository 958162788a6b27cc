package io.pipit.mqtt;

/**
 * A client operation failed: the server refused it (with an MQTT 5 reason code), the network failed, or it
 * timed out. Checked, because every caller of a network operation must decide what to do about failure.
 */
public final class MqttException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The reason code when no MQTT reason applies (a network failure or a timeout). */
    public static final int NO_REASON_CODE = -1;

    private final int reasonCode;

    /**
     * @param reasonCode the MQTT 5 reason code, or {@link #NO_REASON_CODE}
     * @param message what failed; the reason code's description is appended unless the message already names it
     */
    public MqttException(int reasonCode, String message) {
        super(withReason(reasonCode, message));
        this.reasonCode = reasonCode;
    }

    /** @param message what failed; @param cause why (its message is appended) */

    public MqttException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.reasonCode = NO_REASON_CODE;
    }

    private static String withReason(int reasonCode, String message) {
        if (reasonCode < 0) {
            return message;
        }
        String reason = ReasonCode.describe(reasonCode);
        // messages built from a server's DISCONNECT or CONNACK often name the reason already
        return message.contains(reason) ? message : message + " (" + reason + ")";
    }

    private MqttException(MqttException original) {
        super(original.getMessage(), original);
        this.reasonCode = original.reasonCode;
    }

    /**
     * @return a copy of {@code original} to throw on another thread: same reason code and message, with the
     *     original (and its thread's stack) as the cause
     */
    public static MqttException rethrow(MqttException original) {
        return new MqttException(original);
    }

    /** @return the MQTT 5 reason code the server gave, or {@link #NO_REASON_CODE} */
    public int reasonCode() {
        return reasonCode;
    }
}
