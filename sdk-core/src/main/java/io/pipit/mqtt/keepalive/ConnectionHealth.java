package io.pipit.mqtt.keepalive;

/**
 * A snapshot of a client's connection health: the keepalive interval in use, pings sent, the round trip of
 * the last ping, and how many times the client reconnected, by cause. Immutable and thread-safe; take a new
 * one ({@code MqttClient.health()}) to see later figures. Taking one allocates: it is for dashboards and logs,
 * not the message path.
 */
public final class ConnectionHealth {
    private final long intervalNs;
    private final long pingsSent;
    private final long pingsAnswered;
    private final long lastPingRttNs;
    private final long[] reconnects;
    private final String networkKey;

    /**
     * @param reconnects counts indexed by {@link ReconnectCause#ordinal()} (copied)
     */
    public ConnectionHealth(long intervalNs, long pingsSent, long pingsAnswered, long lastPingRttNs,
            long[] reconnects, String networkKey) {
        if (reconnects.length != ReconnectCause.values().length) {
            throw new IllegalArgumentException("one reconnect count per cause needed, got " + reconnects.length);
        }
        this.intervalNs = intervalNs;
        this.pingsSent = pingsSent;
        this.pingsAnswered = pingsAnswered;
        this.lastPingRttNs = lastPingRttNs;
        this.reconnects = reconnects.clone();
        this.networkKey = networkKey;
    }

    /** @return the keepalive interval in use (after the policy and the Server Keep Alive), in nanos; 0 = off */
    public long intervalNs() {
        return intervalNs;
    }

    /** @return PINGREQs sent since the client was built */
    public long pingsSent() {
        return pingsSent;
    }

    /**
     * @return PINGREQs answered since the client was built, by their PINGRESP or any other packet; a platform
     *     scheduler compares it before and after a wake-up to know the exchange is over
     */
    public long pingsAnswered() {
        return pingsAnswered;
    }

    /** @return nanos from the last PINGREQ to its PINGRESP, or -1 before the first answered ping */
    public long lastPingRttNs() {
        return lastPingRttNs;
    }

    /** @return how often the client reconnected after a connection ended for {@code cause} */
    public long reconnects(ReconnectCause cause) {
        return reconnects[cause.ordinal()];
    }

    /** @return reconnects for every cause together */
    public long reconnects() {
        long total = 0;
        for (long count : reconnects) {
            total += count;
        }
        return total;
    }

    /** @return the network key the keepalive results belong to ("" when the platform never gave one) */
    public String networkKey() {
        return networkKey;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("keepalive ").append(intervalNs / 1_000_000).append(" ms, ")
                .append(pingsSent).append(" pings, last RTT ")
                .append(lastPingRttNs < 0 ? "-" : lastPingRttNs / 1_000 + " us").append(", reconnects ")
                .append(reconnects());
        for (ReconnectCause cause : ReconnectCause.values()) {
            if (reconnects[cause.ordinal()] > 0) {
                text.append(' ').append(cause).append('=').append(reconnects[cause.ordinal()]);
            }
        }
        return text.append(networkKey.isEmpty() ? "" : ", network " + networkKey).toString();
    }
}
