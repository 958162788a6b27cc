package io.pipit.pi4j;

import java.io.IOException;
import java.util.List;

/**
 * Something that measures: a BME280, an ADC, a simulated source. The {@link TelemetryPublisher} calls
 * {@link #sample} on its sampling thread only, one call at a time, so implementations need no locking of their
 * own; they must not allocate in {@link #sample} if the publisher's zero-allocation promise is to hold.
 */
public interface Sensor {
    /** @return the sensor's object id in topics and Home Assistant ids ({@code [a-z0-9_-]}), e.g. {@code bme280} */
    String id();

    /** @return what each slot of {@link #sample}'s array holds, fixed for the sensor's life */
    List<Channel> channels();

    /**
     * Takes one reading of every channel.
     *
     * @param values filled in {@link #channels()} order; {@link Double#NaN} marks a channel with no value this
     *     time (written as {@code null})
     * @throws IOException when the device does not answer or answers nonsense; the publisher counts and logs it
     *     and tries again next period
     */
    void sample(double[] values) throws IOException;
}
