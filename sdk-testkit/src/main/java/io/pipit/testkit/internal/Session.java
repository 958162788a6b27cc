package io.pipit.testkit.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The state the broker keeps for a Client Identifier across connections (spec 4.1): subscriptions, messages
 * queued or in flight to the client, QoS 2 flows received and not yet released, the Session Expiry Interval,
 * and a Will waiting out its delay. Mutable; confined to the loop thread.
 */
final class Session {
    final String clientId;
    /** The live connection, or null while the client is offline. */
    Connection connection;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final ArrayDeque<Delivery> queued = new ArrayDeque<>();
    /** Outbound QoS 1 and 2 flows by Packet Identifier, oldest first. */
    final Map<Integer, Delivery> inflight = new LinkedHashMap<>();
    /** Inbound QoS 2 Packet Identifiers: PUBREC sent, PUBREL not yet received. */
    final Set<Integer> inboundQos2 = new HashSet<>();
    long expirySeconds;
    EventLoop.Timer expiryTimer;
    EventLoop.Timer willTimer;
    Message pendingWill;
    private int nextPacketId = 1;

    Session(String clientId) {
        this.clientId = clientId;
    }

    /** @return a Packet Identifier not in flight */
    int allocatePacketId() {
        for (int i = 0; i < 65_535; i++) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("all 65,535 Packet Identifiers of " + clientId + " are in flight");
    }

    void cancelTimers() {
        if (expiryTimer != null) {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        if (willTimer != null) {
            willTimer.cancel();
            willTimer = null;
        }
    }

    @Override
    public String toString() {
        return "session of " + clientId + " (" + subscriptions.size() + " subscriptions, " + queued.size()
                + " queued, " + inflight.size() + " in flight)";
    }
}
