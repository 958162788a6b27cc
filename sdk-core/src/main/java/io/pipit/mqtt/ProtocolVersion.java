package io.pipit.mqtt;

/**
 * The MQTT protocol versions pipit speaks. Immutable; safe from any thread.
 *
 * <p>MQTT 5.0 is the default everywhere. MQTT 3.1.1 exists so the client can publish to brokers that
 * never learned 5.0; the codec handles the differences between the two in one place (per packet), so
 * there is no second copy of it.
 */
public enum ProtocolVersion {
    /** MQTT 3.1.1 (OASIS Standard, protocol level 4). */
    MQTT_3_1_1(4),
    /** MQTT 5.0 (OASIS Standard, protocol level 5). */
    MQTT_5(5);

    private final int level;

    ProtocolVersion(int level) {
        this.level = level;
    }

    /** @return the Protocol Level byte sent in CONNECT (4 or 5) */
    public int level() {
        return level;
    }

    /** @return true for MQTT 5.0, the version with properties and reason codes on every ack */
    public boolean isMqtt5() {
        return this == MQTT_5;
    }

    /**
     * @param level the Protocol Level byte of a CONNECT packet
     * @return the matching version, or {@code null} when pipit does not speak it (3.1's level 3 included)
     */
    public static ProtocolVersion ofLevel(int level) {
        switch (level) {
            case 4: return MQTT_3_1_1;
            case 5: return MQTT_5;
            default: return null;
        }
    }
}
