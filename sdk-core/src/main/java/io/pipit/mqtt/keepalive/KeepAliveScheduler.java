package io.pipit.mqtt.keepalive;

/**
 * Learns when a client's timers (keepalive ping, PINGRESP timeout, reconnect) next need to run, so something
 * outside the client can make sure they do: on Android an {@code AlarmManager} alarm that wakes a dozing device
 * and then calls {@code MqttClient.wakeUp()}; in poll mode the application's loop, which polls by then. The
 * client's own I/O thread and event loop wait for the deadline by themselves, so the default does nothing.
 *
 * <p>Called on the connection's driving thread (the client's I/O thread, its shared event loop's thread, or in
 * poll mode the thread inside {@code poll}), only when the deadline changes; keep it short. The client calls that
 * would wait for the connection throw {@link IllegalStateException} there. Implementations are responsible for
 * their own thread-safety.
 */
public interface KeepAliveScheduler {
    /** Does nothing: the driver's own wait covers the deadline. */
    KeepAliveScheduler NONE = deadlineNs -> { };

    /**
     * @param deadlineNs when timer work is next due, on the time base of the client's
     *     {@link io.pipit.mqtt.driver.NanoClock} ({@link System#nanoTime()} unless the builder was given another;
     *     convert with {@code deadlineNs - clock.nanoTime()} at once); {@link Long#MAX_VALUE} when nothing is due
     */
    void schedule(long deadlineNs);
}
