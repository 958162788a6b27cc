package io.pipit.mqtt.keepalive;

import java.util.Random;

/**
 * Reconnect delays: exponential growth with full jitter (a uniformly random delay between 0 and the
 * current ceiling), so a fleet of devices that lost the same broker does not reconnect in lock-step. The
 * ceiling doubles per failed attempt up to a cap and returns to the initial value after {@link #reset()}.
 * Not thread-safe: the driver's thread only.
 */
public final class Backoff {
    private final long initialNs;
    private final long maxNs;
    private final Random random;
    private long ceilingNs;

    /**
     * @param initialNs ceiling of the first delay
     * @param maxNs the cap on the ceiling
     * @param random source of jitter (pass a seeded one in tests)
     */
    public Backoff(long initialNs, long maxNs, Random random) {
        if (initialNs <= 0 || maxNs < initialNs) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initialNs + ", " + maxNs);
        }
        this.initialNs = initialNs;
        this.maxNs = maxNs;
        this.random = random;
        this.ceilingNs = initialNs;
    }

    /** @return the delay before the next attempt, in [0, ceiling], and doubles the ceiling (up to the cap) */
    public long nextDelayNs() {
        long delay = (long) (random.nextDouble() * ceilingNs);
        ceilingNs = Math.min(maxNs, ceilingNs * 2);
        return delay;
    }

    /** A connection succeeded and stayed up: start again from the initial ceiling. */
    public void reset() {
        ceilingNs = initialNs;
    }

    /** @return the current ceiling */
    public long ceilingNs() {
        return ceilingNs;
    }
}
