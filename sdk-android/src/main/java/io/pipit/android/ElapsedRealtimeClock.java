package io.pipit.android;

import android.os.SystemClock;
import io.pipit.mqtt.driver.NanoClock;

/**
 * The client clock for Android: {@link SystemClock#elapsedRealtimeNanos()}, which keeps counting while the
 * device is in deep sleep ({@link System#nanoTime()} stops there, so a client woken by an alarm would think no
 * time had passed and leave a due ping unsent). Stateless and thread-safe.
 */
public final class ElapsedRealtimeClock implements NanoClock {
    /** The one instance. */
    public static final ElapsedRealtimeClock INSTANCE = new ElapsedRealtimeClock();

    private ElapsedRealtimeClock() {
    }

    /** @return nanoseconds since boot, including deep sleep */
    @Override
    public long nanoTime() {
        return SystemClock.elapsedRealtimeNanos();
    }
}
