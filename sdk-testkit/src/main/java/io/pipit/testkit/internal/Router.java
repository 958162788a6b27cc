package io.pipit.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds who gets a published message: every session with a matching subscription gets one copy (at the highest
 * QoS its matching subscriptions grant, with all their Subscription Identifiers), and each shared-subscription
 * group ({@code $share/{ShareName}/{filter}}) gets one copy, given to its members in turn, online ones first.
 * Matching, the {@code $}-topic rule included, is the codec's {@code TopicNames.matches}.
 *
 * <p>Thread-safety: confined to the loop thread.
 */
final class Router {
    /** What one session's matching subscriptions add up to. */
    private static final class Match {
        int qos = -1;
        boolean retain;
        final List<Integer> identifiers = new ArrayList<>();
    }

    private final Broker broker;
    /** Next member to serve, per shared-subscription group. */
    private final Map<String, Integer> turns = new HashMap<>();

    Router(Broker broker) {
        this.broker = broker;
    }

    void route(Message m) {
        Map<Session, Match> direct = new LinkedHashMap<>();
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        for (Session s : broker.sessions().values()) {
            for (Subscription sub : s.subscriptions.values()) {
                if (!sub.matches(m.topicUtf8)) {
                    continue;
                }
                if (sub.shared()) {
                    groups.computeIfAbsent(sub.filter, k -> new ArrayList<>()).add(new Object[] {s, sub});
                } else if (!(sub.noLocal && s.clientId.equals(m.publisherId))) {
                    Match match = direct.computeIfAbsent(s, k -> new Match());
                    match.qos = Math.max(match.qos, Math.min(m.qos, sub.qos));
                    match.retain |= sub.retainAsPublished && m.retain;
                    if (sub.identifier > 0) {
                        match.identifiers.add(sub.identifier);
                    }
                }
            }
        }
        for (Map.Entry<Session, Match> e : direct.entrySet()) {
            Match match = e.getValue();
            broker.deliveries().deliver(e.getKey(), m, match.qos, match.retain, match.identifiers);
        }
        for (Map.Entry<String, List<Object[]>> g : groups.entrySet()) {
            Object[] chosen = choose(g.getKey(), g.getValue());
            Session s = (Session) chosen[0];
            Subscription sub = (Subscription) chosen[1];
            List<Integer> ids = new ArrayList<>();
            if (sub.identifier > 0) {
                ids.add(sub.identifier);
            }
            broker.deliveries().deliver(s, m, Math.min(m.qos, sub.qos), sub.retainAsPublished && m.retain, ids);
        }
    }

    /** Round robin over the group's members, skipping offline ones while any member is online. */
    private Object[] choose(String group, List<Object[]> members) {
        List<Object[]> online = new ArrayList<>();
        for (Object[] member : members) {
            if (((Session) member[0]).connection != null) {
                online.add(member);
            }
        }
        List<Object[]> pool = online.isEmpty() ? members : online;
        int turn = turns.getOrDefault(group, 0);
        turns.put(group, turn + 1);
        return pool.get(Math.floorMod(turn, pool.size()));
    }
}
