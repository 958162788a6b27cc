package io.pipit.pi4j;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One quantity a {@link Sensor} measures: its key in payloads ({@code temperature}), unit ({@code °C}), Home
 * Assistant device class ({@code temperature}, or null) and the decimals it is written with. Immutable; safe to
 * share between threads.
 */
public final class Channel {
    private static final Pattern KEY = Pattern.compile("[a-z0-9_]{1,64}");

    private final String key;
    private final String unit;
    private final String deviceClass;
    private final int decimals;
    private final byte[] jsonKey;

    private Channel(String key, String unit, String deviceClass, int decimals) {
        this.key = key;
        this.unit = unit;
        this.deviceClass = deviceClass;
        this.decimals = decimals;
        this.jsonKey = ('"' + key + "\":").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param key lower-case letters, digits and {@code _} (it becomes a JSON key and part of Home Assistant ids)
     * @param unit unit of measurement, or null for none
     * @param deviceClass Home Assistant sensor device class, or null
     * @param decimals digits after the decimal point in payloads, 0..9
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Channel of(String key, String unit, String deviceClass, int decimals) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("channel key must be 1-64 of [a-z0-9_]: '" + key + "'");
        }
        DecimalWriter.checkDecimals(decimals);
        return new Channel(key, unit, deviceClass, decimals);
    }

    /** @return the key in payloads */
    public String key() {
        return key;
    }

    /** @return the unit of measurement, or null */
    public String unit() {
        return unit;
    }

    /** @return the Home Assistant device class, or null */
    public String deviceClass() {
        return deviceClass;
    }

    /** @return digits written after the decimal point */
    public int decimals() {
        return decimals;
    }

    /** The key as a JSON member name with its colon, encoded once for the formatter's hot path. */
    byte[] jsonKey() {
        return jsonKey;
    }

    @Override
    public String toString() {
        return key + (unit == null ? "" : " [" + unit + "]");
    }
}
