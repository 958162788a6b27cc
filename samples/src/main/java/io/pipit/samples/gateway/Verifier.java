package io.pipit.samples.gateway;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway demo's receiving end: counts every reading that arrives, per sensor and sequence number, so the
 * summary can say exactly what was lost or duplicated. Arrays are sized up front; receiving allocates
 * nothing. Called on the subscriber's I/O thread; counters are read from the main thread.
 */
final class Verifier implements MessageListener {
    private final boolean[][] seen;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfRange = new AtomicLong();

    Verifier(int sensors, int maxPerSensor) {
        seen = new boolean[sensors][maxPerSensor];
    }

    @Override
    public void onMessage(Message message) {
        int sensor = sensorOf(message.topic());
        long sequence = SensorField.sequenceOf(message.payloadBuffer(), message.payloadOffset(), message.payloadLength());
        if (sensor < 0 || sensor >= seen.length || sequence >= seen[sensor].length) {
            outOfRange.incrementAndGet();
            return;
        }
        if (seen[sensor][(int) sequence]) {
            duplicates.incrementAndGet();
        } else {
            seen[sensor][(int) sequence] = true;
            received.incrementAndGet();
        }
    }

    /** Topics end in "/sensor-N": read N from the CharSequence view without building a String. */
    private static int sensorOf(CharSequence topic) {
        int value = 0;
        int i = topic.length() - 1;
        int scale = 1;
        while (i >= 0 && Character.isDigit(topic.charAt(i))) {
            value += (topic.charAt(i) - '0') * scale;
            scale *= 10;
            i--;
        }
        return scale == 1 ? -1 : value;
    }

    long received() {
        return received.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long outOfRange() {
        return outOfRange.get();
    }
}
