package io.pipit.pi4j;

/**
 * Turns one sample into payload bytes in the caller's buffer. Called on the {@link TelemetryPublisher}'s
 * sampling thread; implementations should not allocate (the default, {@link JsonFormatter}, does not).
 */
@FunctionalInterface
public interface PayloadFormatter {
    /**
     * @param values the sample, in {@code sensor.channels()} order
     * @return bytes written at {@code offset}, or -1 when {@code dst} has too little room
     */
    int format(Sensor sensor, double[] values, byte[] dst, int offset);
}
