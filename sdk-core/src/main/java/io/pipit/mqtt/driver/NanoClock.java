package io.pipit.mqtt.driver;

/**
 * The monotonic time a client runs its timers on (keepalive, PINGRESP timeout, reconnect backoff, connect
 * timeout), in nanoseconds on an arbitrary origin. The default is {@link System#nanoTime()}. On Android that
 * clock stops while the device sleeps, so an alarm that wakes the device after a long sleep would find no
 * keepalive due; the Android adapter gives {@code SystemClock.elapsedRealtimeNanos()} instead, which keeps
 * counting through sleep. Implementations must be thread-safe, never go backwards and not allocate (the
 * client reads the clock on every unit of work).
 */
@FunctionalInterface
public interface NanoClock {
    /** {@link System#nanoTime()}: the JVM's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds; only differences between two readings mean anything */
    long nanoTime();
}
