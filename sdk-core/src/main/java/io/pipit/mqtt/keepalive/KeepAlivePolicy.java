package io.pipit.mqtt.keepalive;

import java.util.concurrent.TimeUnit;

/**
 * How a client chooses its keepalive interval: {@link #fixed} (the classic MQTT keepalive) or
 * {@link #adaptive}, which discovers the longest idle period the network path (NAT, carrier, Wi-Fi access
 * point) tolerates, so a battery device wakes its radio as rarely as the path allows. Immutable and
 * thread-safe: every setter returns a new policy; one policy may configure many clients, each of which gets
 * its own {@link KeepAliveTuner} from {@link #newTuner()}.
 *
 * <p>Whatever the policy, a Server Keep Alive in CONNACK always wins: the interval never exceeds it.
 *
 * <p>Adaptive, step by step: start at {@link #start}, and after {@link #confirmations} answered idle pings at
 * an interval, multiply it by {@link #growth} (bounded by the maximum). When a ping goes unanswered (the NAT
 * silently forgot the connection), step back to the last interval known to survive and hold it; the failed one
 * becomes an upper bound, and later probes bisect between the two until they are within
 * {@link #precision} of each other. Then hold 5 % below the longest silence that survived (room for timer
 * jitter), re-probing the upper bound once every {@link #reprobeAfter} in
 * case the path improved. Results are remembered per network (see {@link KeepAliveTuner#network}). The
 * CONNECT of an adaptive client carries the maximum, so the server never cuts a connection the tuner is
 * still probing.
 */
public final class KeepAlivePolicy {
    private static final long SECOND_NS = 1_000_000_000L;

    final boolean adaptive;
    final long minNs;
    final long maxNs;
    final long startNs;
    final double growth;
    final int confirmations;
    final double precision;
    final long reprobeAfterNs;
    /** 0: half the interval, which finds a dead connection within 1.5 × keepalive. */
    final long pingTimeoutNs;

    private KeepAlivePolicy(boolean adaptive, long minNs, long maxNs, long startNs, double growth, int confirmations,
            double precision, long reprobeAfterNs, long pingTimeoutNs) {
        this.adaptive = adaptive;
        this.minNs = minNs;
        this.maxNs = maxNs;
        this.startNs = startNs;
        this.growth = growth;
        this.confirmations = confirmations;
        this.precision = precision;
        this.reprobeAfterNs = reprobeAfterNs;
        this.pingTimeoutNs = pingTimeoutNs;
    }

    /**
     * The classic keepalive: a PINGREQ whenever nothing has been sent for {@code interval}.
     *
     * @param interval whole seconds, 0 (keepalive off) to 65,535 s
     */
    public static KeepAlivePolicy fixed(long interval, TimeUnit unit) {
        long ns = seconds(interval, unit, "keepalive");
        return new KeepAlivePolicy(false, ns, ns, ns, 1, 1, 0, 0, 0);
    }

    /**
     * An adaptive keepalive between {@code min} and {@code max}, starting at {@code min}, growing by 1.5 after 2
     * answered pings, probing until within 8 % of the path's limit and re-probing every 6 hours. The settled
     * interval lies within about 13 % below the limit.
     *
     * @param min the shortest interval, also the start (e.g. 30 s: survives nearly every NAT)
     * @param max the longest (and what CONNECT announces to the server), at most 65,535 s
     */
    public static KeepAlivePolicy adaptive(long min, long max, TimeUnit unit) {
        long minNs = seconds(min, unit, "minimum keepalive");
        long maxNs = seconds(max, unit, "maximum keepalive");
        if (minNs == 0 || maxNs < minNs) {
            throw new IllegalArgumentException("adaptive keepalive needs 0 < min <= max: " + min + ", " + max + " "
                    + unit);
        }
        return new KeepAlivePolicy(true, minNs, maxNs, minNs, 1.5, 2, 0.08, TimeUnit.HOURS.toNanos(6), 0);
    }

    /** The first interval of an adaptive policy on a network it has not learned yet; within [min, max]. */
    public KeepAlivePolicy start(long interval, TimeUnit unit) {
        long ns = unit.toNanos(interval);
        if (!adaptive || ns < minNs || ns > maxNs) {
            throw new IllegalArgumentException("start must lie within an adaptive policy's [min, max]: " + interval
                    + " " + unit);
        }
        return new KeepAlivePolicy(true, minNs, maxNs, ns, growth, confirmations, precision, reprobeAfterNs,
                pingTimeoutNs);
    }

    /** How much an adaptive interval grows per step while no upper bound is known; more than 1. */
    public KeepAlivePolicy growth(double factor) {
        if (!(factor > 1 && factor <= 10)) {
            throw new IllegalArgumentException("growth must be in (1, 10]: " + factor);
        }
        requireAdaptive("growth");
        return new KeepAlivePolicy(true, minNs, maxNs, startNs, factor, confirmations, precision, reprobeAfterNs,
                pingTimeoutNs);
    }

    /** How many answered idle pings an interval needs before the next, longer one is tried; at least 1. */
    public KeepAlivePolicy confirmations(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1: " + count);
        }
        requireAdaptive("confirmations");
        return new KeepAlivePolicy(true, minNs, maxNs, startNs, growth, count, precision, reprobeAfterNs,
                pingTimeoutNs);
    }

    /**
     * When probing stops: once the gap between the longest surviving and the shortest failing interval is at
     * most this fraction of the failing one, probing stops and an interval 5 % below the surviving one is held.
     */
    public KeepAlivePolicy precision(double fraction) {
        if (!(fraction >= 0.01 && fraction <= 0.5)) {
            throw new IllegalArgumentException("precision must be in [0.01, 0.5]: " + fraction);
        }
        requireAdaptive("precision");
        return new KeepAlivePolicy(true, minNs, maxNs, startNs, growth, confirmations, fraction, reprobeAfterNs,
                pingTimeoutNs);
    }

    /**
     * How long a learned interval is held before the known upper bound is tried again (each try that fails costs
     * one reconnect). 0 never re-probes.
     */
    public KeepAlivePolicy reprobeAfter(long duration, TimeUnit unit) {
        if (duration < 0) {
            throw new IllegalArgumentException("reprobeAfter must not be negative: " + duration);
        }
        requireAdaptive("reprobeAfter");
        return new KeepAlivePolicy(true, minNs, maxNs, startNs, growth, confirmations, precision,
                unit.toNanos(duration), pingTimeoutNs);
    }

    /**
     * How long to wait for PINGRESP before the connection is declared dead and reconnected. Default: half the
     * interval, so a dead connection is found within 1.5 × keepalive of the last packet received.
     */
    public KeepAlivePolicy pingTimeout(long timeout, TimeUnit unit) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("ping timeout must be positive: " + timeout);
        }
        return new KeepAlivePolicy(adaptive, minNs, maxNs, startNs, growth, confirmations, precision,
                reprobeAfterNs, unit.toNanos(timeout));
    }

    /** @return true for an adaptive policy */
    public boolean isAdaptive() {
        return adaptive;
    }

    /** @return the Keep Alive (seconds) to put in CONNECT: the fixed interval, or an adaptive policy's maximum */
    public int connectSeconds() {
        return (int) (maxNs / SECOND_NS);
    }

    /** @return a fresh tuner, the per-client state this policy drives; not thread-safe */
    public KeepAliveTuner newTuner() {
        return new KeepAliveTuner(this);
    }

    private void requireAdaptive(String setting) {
        if (!adaptive) {
            throw new IllegalStateException(setting + " applies to an adaptive policy only");
        }
    }

    private static long seconds(long value, TimeUnit unit, String what) {
        long secondsValue = unit.toSeconds(value);
        if (value < 0 || secondsValue > 65_535 || unit.toNanos(value) % SECOND_NS != 0) {
            throw new IllegalArgumentException(what + " must be whole seconds from 0 to 65,535: " + value + " "
                    + unit);
        }
        return secondsValue * SECOND_NS;
    }

    @Override
    public String toString() {
        return adaptive ? "adaptive keepalive " + minNs / SECOND_NS + ".." + maxNs / SECOND_NS + " s"
                : "fixed keepalive " + maxNs / SECOND_NS + " s";
    }
}
