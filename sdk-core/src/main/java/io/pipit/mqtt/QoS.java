package io.pipit.mqtt;

/** MQTT Quality of Service levels. Immutable; safe from any thread. */
public enum QoS {
    /** At most once: fire and forget, no acknowledgement. */
    AT_MOST_ONCE(0),
    /** At least once: acknowledged by PUBACK, resent until then; duplicates possible. */
    AT_LEAST_ONCE(1),
    /** Exactly once: the PUBREC/PUBREL/PUBCOMP handshake; never lost, never duplicated within a session. */
    EXACTLY_ONCE(2);

    private final int value;

    QoS(int value) {
        this.value = value;
    }

    /** @return 0, 1 or 2 as on the wire */
    public int value() {
        return value;
    }

    /** @return the level for a wire value 0..2 */
    public static QoS of(int value) {
        switch (value) {
            case 0: return AT_MOST_ONCE;
            case 1: return AT_LEAST_ONCE;
            case 2: return EXACTLY_ONCE;
            default: throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + value);
        }
    }
}
