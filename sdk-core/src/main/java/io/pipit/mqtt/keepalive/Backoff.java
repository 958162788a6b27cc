package io.pipit.mqtt.keepalive;

import java.util.Random;

/**
 * Reconnect delays: exponential growth with full jitter (a uniformly random delay between 0 and the
 * current ceiling), so a fleet of devices that lost the same broker does not reconnect in lock-step. The
 * ceiling doubles per failed attempt up to a cap and returns to the initial value after {@link #reset()}, or
 * by itself once a connection has stayed up for the stable time ({@link #onConnected}, {@link #nextDelayNs(long)}),
 * so a connection that is accepted and at once dropped again does not restart the backoff. Time is passed in.
 * Not thread-safe: the driver's thread only.
 */
public final class Backoff {
    private final long initialNs;
    private final long maxNs;
    private final long stableNs;
    private final Random random;
    private long ceilingNs;
    private boolean connected;
    private long connectedAtNs;

    /**
     * @param initialNs ceiling of the first delay
     * @param maxNs the cap on the ceiling
     * @param random source of jitter (pass a seeded one in tests)
     */
    public Backoff(long initialNs, long maxNs, Random random) {
        this(initialNs, maxNs, 0, random);
    }

    /**
     * @param stableNs how long a connection must stay up before the next loss starts again from the initial
     *     ceiling (0: any successful connection resets it)
     */
    public Backoff(long initialNs, long maxNs, long stableNs, Random random) {
        if (initialNs <= 0 || maxNs < initialNs || stableNs < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and stable >= 0: " + initialNs + ", "
                    + maxNs + ", " + stableNs);
        }
        this.initialNs = initialNs;
        this.maxNs = maxNs;
        this.stableNs = stableNs;
        this.random = random;
        this.ceilingNs = initialNs;
    }

    /** @return the delay before the next attempt, in [0, ceiling], and doubles the ceiling (up to the cap) */
    public long nextDelayNs() {
        long delay = (long) (random.nextDouble() * ceilingNs);
        ceilingNs = Math.min(maxNs, ceilingNs * 2);
        return delay;
    }

    /** A connection was established at {@code nowNs}; it resets the ceiling once it has lasted the stable time. */
    public void onConnected(long nowNs) {
        connected = true;
        connectedAtNs = nowNs;
    }

    /**
     * The delay before the next attempt after a loss at {@code nowNs}: first resets the ceiling when the
     * connection that just ended had been up for the stable time.
     */
    public long nextDelayNs(long nowNs) {
        if (connected && nowNs - connectedAtNs >= stableNs) {
            reset();
        }
        connected = false;
        return nextDelayNs();
    }

    /** A connection succeeded and stayed up (or the network came back): start again from the initial ceiling. */
    public void reset() {
        ceilingNs = initialNs;
    }

    /** @return the current ceiling */
    public long ceilingNs() {
        return ceilingNs;
    }
}
