package io.pipit.mqtt.keepalive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state machine behind a {@link KeepAlivePolicy}: which interval to use now, learned from how idle pings
 * fared. Driven by time inputs only (the caller passes every "now" and every idle period), so hours of
 * network behaviour replay in microseconds in tests. A fixed policy's tuner always answers the same interval
 * and ignores the evidence.
 *
 * <p>Evidence is an <em>idle period</em>: how long the connection had carried no packet in either direction
 * when a PINGREQ left. An answered ping proves the path tolerates that much silence; an unanswered one, after
 * more silence than any answered ping, shows where the path's limit lies. A ping lost after less silence than
 * one already answered is not a NAT limit but an outage; a second one in a row means the path got worse, and
 * learning starts again from the minimum.
 *
 * <p>Not thread-safe: the connection's driving thread only. Allocates only when the network changes.
 */
public final class KeepAliveTuner {
    /** How many networks' results are remembered; the least recently used is forgotten first. */
    static final int NETWORKS_REMEMBERED = 16;
    private static final long UNKNOWN = Long.MAX_VALUE;
    /** A settled interval keeps this fraction below the longest silence that survived, for timer jitter. */
    private static final int HOLD_MARGIN_DIVISOR = 20;

    private final KeepAlivePolicy policy;
    private final Map<String, long[]> memory = new LinkedHashMap<String, long[]>(NETWORKS_REMEMBERED, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > NETWORKS_REMEMBERED;
        }
    };
    private volatile String networkKey = "";
    private long currentNs;
    /** The longest idle period a ping survived (0: none yet). */
    private long goodNs;
    /** The shortest idle period after which a ping was lost ({@link #UNKNOWN}: none). */
    private long badNs = UNKNOWN;
    private boolean holding;
    private long holdingSinceNs;
    private int confirmed;
    private int suspectLosses;

    KeepAliveTuner(KeepAlivePolicy policy) {
        this.policy = policy;
        this.currentNs = policy.startNs;
    }

    /** @return the interval to use now, in nanos (0: keepalive off) */
    public long intervalNs() {
        return currentNs;
    }

    /** @return how long to wait for PINGRESP after a ping sent at {@code intervalNs} */
    public long pingTimeoutNs(long intervalNs) {
        return policy.pingTimeoutNs > 0 ? policy.pingTimeoutNs : intervalNs / 2;
    }

    /** @return true for an adaptive policy's tuner, false for a fixed one */
    public boolean isAdaptive() {
        return policy.adaptive;
    }

    /** @return true once an adaptive tuner has settled on an interval (it still re-probes now and then) */
    public boolean isHolding() {
        return holding;
    }

    /** @return the network whose results are in use ("" until {@link #network} is called) */
    public String networkKey() {
        return networkKey;
    }

    /**
     * A PINGREQ sent after {@code idleNs} of silence was answered.
     *
     * @param nowNs when the answer came (any time base, as long as it is always the same one)
     */
    public void onPingAnswered(long idleNs, long nowNs) {
        if (!policy.adaptive) {
            return;
        }
        suspectLosses = 0;
        if (idleNs > goodNs) {
            goodNs = idleNs;
            if (badNs != UNKNOWN && idleNs >= badNs) {
                badNs = UNKNOWN; // the path got better: the old limit no longer holds
            }
        }
        if (idleNs < currentNs - currentNs / 16) {
            return; // traffic cut the silence short: no news about the current interval
        }
        if (holding) {
            if (policy.reprobeAfterNs > 0 && badNs != UNKNOWN && nowNs - holdingSinceNs >= policy.reprobeAfterNs) {
                holding = false; // try the old limit once: the path may have changed
                currentNs = Math.min(policy.maxNs, badNs);
                badNs = UNKNOWN;
                confirmed = 0;
            }
            return;
        }
        if (++confirmed >= policy.confirmations) {
            confirmed = 0;
            advance(nowNs);
        }
    }

    /**
     * A PINGREQ sent after {@code idleNs} of silence went unanswered: the connection is being given up.
     *
     * @param nowNs when the loss was declared
     */
    public void onPingLost(long idleNs, long nowNs) {
        if (!policy.adaptive) {
            return;
        }
        confirmed = 0;
        if (idleNs > goodNs) {
            badNs = Math.min(badNs, idleNs);
            currentNs = Math.max(policy.minNs, goodNs); // step back to the last interval that survived
            if (isConverged()) {
                hold(nowNs);
            }
            return;
        }
        if (++suspectLosses >= 2) { // a known-good interval failed twice: the path changed, learn again
            suspectLosses = 0;
            goodNs = 0;
            badNs = Math.max(idleNs, policy.minNs);
            currentNs = policy.minNs;
            holding = false;
        }
    }

    /**
     * Switches to the results learned on network {@code key} (on Android a network handle, on Java SE e.g.
     * {@link NetworkKeys#current()}), keeping the current network's for when it comes back. A network seen for
     * the first time starts from the policy's start interval.
     */
    public void network(String key) {
        if (key == null) {
            throw new IllegalArgumentException("network key must not be null");
        }
        if (key.equals(networkKey)) {
            return;
        }
        memory.put(networkKey, new long[] {currentNs, goodNs, badNs, holding ? 1 : 0, holdingSinceNs});
        networkKey = key;
        long[] saved = memory.get(key);
        currentNs = saved == null ? policy.startNs : saved[0];
        goodNs = saved == null ? 0 : saved[1];
        badNs = saved == null ? UNKNOWN : saved[2];
        holding = saved != null && saved[3] == 1;
        holdingSinceNs = saved == null ? 0 : saved[4];
        confirmed = 0;
        suspectLosses = 0;
    }

    /** The current interval has been confirmed: try a longer one, or hold when there is nothing left to learn. */
    private void advance(long nowNs) {
        long base = Math.max(currentNs, goodNs);
        if (badNs == UNKNOWN) {
            if (base >= policy.maxNs) {
                currentNs = policy.maxNs;
                hold(nowNs);
            } else {
                currentNs = Math.min(policy.maxNs, (long) (base * policy.growth));
            }
        } else if (isConverged()) {
            hold(nowNs);
        } else {
            currentNs = goodNs + (badNs - goodNs) / 2;
        }
    }

    private boolean isConverged() {
        return badNs != UNKNOWN && (badNs - goodNs <= (long) (policy.precision * badNs) || badNs <= policy.minNs);
    }

    private void hold(long nowNs) {
        if (badNs != UNKNOWN) { // a limit is known: keep clear of it
            currentNs = Math.max(policy.minNs, goodNs - goodNs / HOLD_MARGIN_DIVISOR);
        }
        holding = true;
        holdingSinceNs = nowNs;
        confirmed = 0;
    }

    /** @return the longest idle period known to survive, in nanos (0: none yet) */
    long goodNs() {
        return goodNs;
    }

    /** @return the shortest idle period known to fail, or {@link Long#MAX_VALUE} */
    long badNs() {
        return badNs;
    }

    @Override
    public String toString() {
        return "interval " + currentNs / 1_000_000 + " ms, survived " + goodNs / 1_000_000 + " ms, failed "
                + (badNs == UNKNOWN ? "never" : badNs / 1_000_000 + " ms") + (holding ? ", holding" : ", probing");
    }
}
