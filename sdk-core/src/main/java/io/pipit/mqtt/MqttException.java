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

    public MqttException(int reasonCode, String message) {
        super(reasonCode >= 0 ? message + " (" + ReasonCode.describe(reasonCode) + ")" : message);
        this.reasonCode = reasonCode;
    }

    public MqttException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.reasonCode = NO_REASON_CODE;
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
