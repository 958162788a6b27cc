package io.pipit.mqtt.engine;

/**
 * Fixed keepalive for one connection (spec 3.1.2.10): a PINGREQ when nothing has been sent for the interval
 * (what the server needs to keep us), or when nothing has been received for it (what we need to know the
 * path still works: a client that only publishes would otherwise never notice a black hole, since writes
 * into a dead TCP connection succeed). The connection is declared dead when a PINGRESP has not come within
 * half an interval, so a half-open connection is found within 1.5 × keepalive. All times are passed in;
 * nothing here reads a clock. Not thread-safe: engine thread only.
 */
final class KeepAlive {
    private long intervalNs;
    private long lastSentNs;
    private long lastReceivedNs;
    private boolean pingOutstanding;
    private long pingSentNs;

    void start(int seconds, long nowNs) {
        intervalNs = seconds * 1_000_000_000L;
        lastSentNs = nowNs;
        lastReceivedNs = nowNs;
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
        lastReceivedNs = nowNs;
        pingOutstanding = false;
    }

    void onPingResponse() {
        pingOutstanding = false;
    }

    boolean isPingDue(long nowNs) {
        return intervalNs > 0 && !pingOutstanding
                && (nowNs - lastSentNs >= intervalNs || nowNs - lastReceivedNs >= intervalNs);
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
        return pingOutstanding ? pingSentNs + intervalNs / 2 : Math.min(lastSentNs, lastReceivedNs) + intervalNs;
    }

    String describeTimeout() {
        return (intervalNs / 2_000_000) + " ms";
    }
}
