package io.pipit.testkit.internal;

import io.pipit.testkit.RecordedPacket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The scripted faults of one broker: rules added from test threads, consulted by the loop thread at each
 * decision point (a packet about to be sent, a packet just received, a CONNECT, a CONNACK). Thread-safe: rules
 * live in a copy-on-write list and count down atomically, so a rule limited to N firings fires exactly N times.
 */
public final class FaultRules {
    /** What a rule does. */
    public enum Kind { WITHHOLD, DELAY, DROP_AFTER, DROP_ON, BLACK_HOLE_ON, REFUSE_CONNECT, CLAIM_SESSION_PRESENT }

    /** What the broker does with a packet it has just received. */
    public enum Action {
        /** Handle it normally. */
        NONE,
        /** Close the connection without handling the packet. */
        DROP_BEFORE,
        /** Handle the packet, then close the connection. */
        DROP_AFTER,
        /** Stop reading and writing, keeping the socket open, without handling the packet. */
        BLACK_HOLE
    }

    /** One scripted fault. Immutable but for its counters. */
    public static final class Rule {
        private final Kind kind;
        private final String clientId;
        private final int packetType;
        private final long delayNs;
        private final Predicate<RecordedPacket> match;
        private final AtomicInteger remaining;
        private final AtomicInteger seen = new AtomicInteger();
        private final int count;
        private final int reasonCode;
        private final String serverReference;

        /**
         * @param clientId the client it applies to, or null for all
         * @param packetType the packet type it applies to (WITHHOLD, DELAY), else 0
         * @param count packets to let through first (DROP_AFTER), else unused
         * @param times how often it may fire; {@link Integer#MAX_VALUE} for ever
         */
        public Rule(Kind kind, String clientId, int packetType, long delayNs, Predicate<RecordedPacket> match,
                int count, int times, int reasonCode, String serverReference) {
            this.kind = kind;
            this.clientId = clientId;
            this.packetType = packetType;
            this.delayNs = delayNs;
            this.match = match;
            this.count = count;
            this.remaining = new AtomicInteger(times);
            this.reasonCode = reasonCode;
            this.serverReference = serverReference;
        }

        boolean appliesTo(String id) {
            return clientId == null || clientId.equals(id);
        }

        public int reasonCode() {
            return reasonCode;
        }

        /** @return the Server Reference to send with a refusal, or null */
        public String serverReference() {
            return serverReference;
        }

        @Override
        public String toString() {
            return kind + (clientId == null ? "" : "[" + clientId + "]");
        }
    }

    private final CopyOnWriteArrayList<Rule> rules = new CopyOnWriteArrayList<>();

    /** Adds a rule; from any thread. */
    public void add(Rule rule) {
        rules.add(rule);
    }

    /** Removes every rule for {@code clientId}, or every rule when it is null; from any thread. */
    public void clear(String clientId) {
        rules.removeIf(r -> clientId == null || clientId.equals(r.clientId));
    }

    /** Uses up one firing; @return false when the rule had none left. */
    private boolean take(Rule rule) {
        int left;
        do {
            left = rule.remaining.get();
            if (left <= 0) {
                return false;
            }
        } while (!rule.remaining.compareAndSet(left, left == Integer.MAX_VALUE ? left : left - 1));
        if (left == 1) {
            rules.remove(rule);
        }
        return true;
    }

    /**
     * Consulted before the broker sends a packet of {@code type} to {@code clientId}.
     *
     * @return -1 to withhold it, 0 to send it now, or the delay in nanoseconds
     */
    long sendDelay(String clientId, int type) {
        for (Rule r : rules) {
            if (r.packetType == type && r.appliesTo(clientId)
                    && (r.kind == Kind.WITHHOLD || r.kind == Kind.DELAY) && take(r)) {
                return r.kind == Kind.WITHHOLD ? -1 : r.delayNs;
            }
        }
        return 0;
    }

    /** Consulted for each packet received from {@code clientId}, after recording and before handling. */
    Action onReceive(String clientId, RecordedPacket packet) {
        Action action = Action.NONE;
        for (Rule r : rules) {
            if (!r.appliesTo(clientId)) {
                continue;
            }
            if ((r.kind == Kind.DROP_ON || r.kind == Kind.BLACK_HOLE_ON) && r.match.test(packet) && take(r)) {
                return r.kind == Kind.DROP_ON ? Action.DROP_BEFORE : Action.BLACK_HOLE;
            }
            if (r.kind == Kind.DROP_AFTER && r.seen.incrementAndGet() >= r.count && take(r)) {
                action = Action.DROP_AFTER;
            }
        }
        return action;
    }

    /** @return the refusal rule for a CONNECT from {@code clientId}, used up, or null to let it in */
    Rule refusal(String clientId) {
        for (Rule r : rules) {
            if (r.kind == Kind.REFUSE_CONNECT && r.appliesTo(clientId) && take(r)) {
                return r;
            }
        }
        return null;
    }

    /** @return true, using up a firing, when the CONNACK accepting {@code clientId} must say Session Present 1 */
    boolean claimSessionPresent(String clientId) {
        for (Rule r : rules) {
            if (r.kind == Kind.CLAIM_SESSION_PRESENT && r.appliesTo(clientId) && take(r)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return rules.toString();
    }
}
