package io.pipit.mqtt.engine;

/**
 * Fixed keepalive for one connection (spec 3.1.2.10): a PINGREQ when nothing has been sent for the interval,
 * and the connection declared dead when its PINGRESP has not come within half an interval, so a half-open
 * connection is found within 1.5 × keepalive. All times are passed in; nothing here reads a clock.
 * Not thread-safe: engine thread only.
 */
final class KeepAlive {
    private long intervalNs;
    private long lastSentNs;
    private boolean pingOutstanding;
    private long pingSentNs;

    void start(int seconds, long nowNs) {
        intervalNs = seconds * 1_000_000_000L;
        lastSentNs = nowNs;
        pingOutstanding = false;
    }

    /** The server's Server Keep Alive replaces ours (spec 3.2.2.3.14). */
    void override(int seconds) {
        intervalNs = seconds * 1_000_000_000L;
    }

    void onSent(long nowNs) {
        lastSentNs = nowNs;
    }

    /** Any packet from the server proves the path is alive, so an outstanding ping is no longer needed. */
    void onReceived(long nowNs) {
        pingOutstanding = false;
    }

    void onPingResponse() {
        pingOutstanding = false;
    }

    boolean isPingDue(long nowNs) {
        return intervalNs > 0 && !pingOutstanding && nowNs - lastSentNs >= intervalNs;
    }

    void onPingSent(long nowNs) {
        pingOutstanding = true;
        pingSentNs = nowNs;
    }

    boolean isDead(long nowNs) {
        return pingOutstanding && nowNs - pingSentNs >= intervalNs / 2;
    }

    /** @return when the next ping or ping timeout is due, or {@link Long#MAX_VALUE} with keepalive off */
    long nextDeadline() {
        if (intervalNs == 0) {
            return Long.MAX_VALUE;
        }
        return pingOutstanding ? pingSentNs + intervalNs / 2 : lastSentNs + intervalNs;
    }

    String describeTimeout() {
        return (intervalNs / 2_000_000) + " ms";
    }
}
