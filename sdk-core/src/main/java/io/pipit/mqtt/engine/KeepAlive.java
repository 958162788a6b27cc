package io.pipit.mqtt.engine;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.PingEncoder;
import io.pipit.mqtt.keepalive.KeepAliveTuner;
import java.nio.ByteBuffer;

/**
 * Keepalive for one engine (spec 3.1.2.10), with the interval from a {@link KeepAliveTuner} (or CONNECT's Keep
 * Alive when none is set), capped or replaced by the Server Keep Alive.
 *
 * <p>When pings go out, and why. A PINGREQ is due once nothing has been <em>sent</em> for the interval, as the
 * spec asks, and also once nothing has been <em>received</em> for it: a client that only publishes would otherwise
 * never learn that the connection is a black hole (writes into a dead TCP connection succeed, and QoS 0 expects no
 * answer). The engine's deadline is the earlier of the two, so the driver wakes for it. From half the interval of
 * silence on, a receive-side ping rides along with any packet being sent anyway, at no extra radio wakeup: a client
 * that sends at least every half interval never needs a ping of its own for it. The connection is declared dead
 * when a PINGRESP (or anything else) has not come within the ping timeout (half the interval unless configured), or
 * when nothing at all has arrived for 1.5 × the interval while QoS 1/2 acknowledgements are owed.
 *
 * <p>The bound that follows, on the engine's clock: every packet received clears the ping, and the next one leaves
 * at the latest one interval later, so a half-open connection is declared dead at most interval + ping timeout
 * after the last packet received: exactly 1.5 × keepalive at worst with the default timeout. (A ping that waited for
 * the next packet sent, or counted the interval from the last packet sent, let it grow by however long the client
 * stayed quiet after its last send.)
 *
 * <p>It writes its own PINGREQ into the engine's drain ({@link #writePing}), so when a ping goes out and its
 * bookkeeping stay in one place. All times are passed in; nothing here reads a clock. Not thread-safe: engine
 * thread only, except the volatile figures, which any thread may read.
 */
final class KeepAlive {
    private KeepAliveTuner tuner;
    private long connectIntervalNs;
    /** The Server Keep Alive of this connection, or -1 when CONNACK had none. */
    private long serverIntervalNs = -1;
    private volatile long intervalNs;
    private long timeoutNs;
    private long lastSentNs;
    private long lastReceivedNs;
    private boolean pingOutstanding;
    private boolean rttPending;
    private long pingSentNs;
    private long pingIdleNs;
    private volatile long pingCount;
    private volatile long answeredCount;
    private volatile long lastRttNs = -1;

    void tuner(KeepAliveTuner keepAliveTuner) {
        this.tuner = keepAliveTuner;
    }

    void start(int connectSeconds, long nowNs) {
        connectIntervalNs = connectSeconds * 1_000_000_000L;
        serverIntervalNs = -1;
        lastSentNs = nowNs;
        lastReceivedNs = nowNs;
        pingOutstanding = false;
        rttPending = false;
        applyInterval();
    }

    /**
     * The server's Server Keep Alive (spec 3.2.2.3.14) always wins: it replaces a fixed interval, and caps an
     * adaptive one (pinging more often than the server needs is allowed, and the path may need it).
     */
    void override(int seconds) {
        serverIntervalNs = seconds * 1_000_000_000L;
        applyInterval();
    }

    private void applyInterval() {
        boolean adaptive = tuner != null && tuner.isAdaptive();
        long own = tuner == null ? connectIntervalNs : tuner.intervalNs();
        if (serverIntervalNs >= 0) {
            own = adaptive ? Math.min(own, serverIntervalNs) : serverIntervalNs;
        }
        intervalNs = own;
        timeoutNs = tuner == null ? own / 2 : tuner.pingTimeoutNs(own);
    }

    void onSent(long nowNs) {
        lastSentNs = nowNs;
    }

    /** Any packet from the server proves the path is alive, so an outstanding ping has done its job. */
    void onReceived(long nowNs) {
        lastReceivedNs = nowNs;
        if (pingOutstanding) {
            pingOutstanding = false;
            answeredCount++;
            if (tuner != null) {
                tuner.onPingAnswered(pingIdleNs, nowNs);
                applyInterval();
            }
        }
    }

    /** A PINGRESP: the round trip of the ping it answers (called after {@link #onReceived}). */
    void onPingResponse() {
        if (rttPending) {
            rttPending = false;
            lastRttNs = lastReceivedNs - pingSentNs;
        }
    }

    /**
     * @param sending true when this drain sends something anyway, so a ping for the receive side may ride along early
     */
    private boolean isPingDue(long nowNs, boolean sending) {
        if (intervalNs <= 0 || pingOutstanding) {
            return false;
        }
        long silentNs = nowNs - lastReceivedNs;
        return nowNs - lastSentNs >= intervalNs || silentNs >= intervalNs || sending && silentNs >= intervalNs / 2;
    }

    /**
     * Writes a PINGREQ when one is due ({@link #isPingDue}).
     *
     * @param sending something goes out in this drain anyway, so a receive-side ping may ride along
     * @return false when a ping was due and {@code dst} lacked room for it
     */
    boolean writePing(ByteBuffer dst, long nowNs, boolean sending) {
        if (isPingDue(nowNs, sending)) {
            if (PingEncoder.encode(dst, PacketType.PINGREQ) < 0) {
                return false;
            }
            onPingSent(nowNs);
        }
        return true;
    }

    private void onPingSent(long nowNs) {
        pingIdleNs = nowNs - Math.max(lastSentNs, lastReceivedNs);
        pingOutstanding = true;
        rttPending = true;
        pingSentNs = nowNs;
        pingCount++;
    }

    /**
     * @param acksOwed true while QoS 1/2 acknowledgements are outstanding
     * @return true when the connection is dead; a lost idle ping is reported to the tuner once
     */
    boolean checkDead(long nowNs, boolean acksOwed) {
        if (intervalNs == 0) {
            return false;
        }
        if (pingOutstanding && nowNs - pingSentNs >= timeoutNs) {
            pingOutstanding = false;
            if (tuner != null) {
                tuner.onPingLost(pingIdleNs, nowNs);
            }
            return true;
        }
        return acksOwed && nowNs - lastReceivedNs >= intervalNs + intervalNs / 2;
    }

    /** @return when the next ping or timeout is due, or {@link Long#MAX_VALUE} with keepalive off */
    long nextDeadline(boolean acksOwed) {
        if (intervalNs == 0) {
            return Long.MAX_VALUE;
        }
        // not just from the last packet sent: a receive-side ping must not wait for a send that may never come
        long deadline = pingOutstanding ? pingSentNs + timeoutNs : Math.min(lastSentNs, lastReceivedNs) + intervalNs;
        return acksOwed ? Math.min(deadline, lastReceivedNs + intervalNs + intervalNs / 2) : deadline;
    }

    /** Says why {@link #checkDead} gave up, for the listener; only on that rare path, so it may allocate. */
    String describeDeath(long nowNs) {
        return "nothing received for " + (nowNs - lastReceivedNs) / 1_000_000 + " ms (keepalive "
                + intervalNs / 1_000_000 + " ms, PINGRESP timeout " + timeoutNs / 1_000_000 + " ms)";
    }

    long intervalNs() {
        return intervalNs;
    }

    long pingCount() {
        return pingCount;
    }

    /** @return pings that got an answer (a PINGRESP or any other packet) */
    long answeredCount() {
        return answeredCount;
    }

    long lastRttNs() {
        return lastRttNs;
    }
}
