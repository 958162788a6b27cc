package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.TopicNames;
import java.nio.charset.StandardCharsets;

/**
 * One subscription of a session: its Topic Filter (with any {@code $share/{ShareName}/} prefix) and
 * Subscription Options. Immutable; confined to the loop thread all the same.
 */
final class Subscription {
    final String filter;
    final byte[] filterUtf8;
    /** The share name of a shared subscription, else null. */
    final String shareName;
    final int qos;
    final boolean noLocal;
    final boolean retainAsPublished;
    final int retainHandling;
    /** The Subscription Identifier, or 0 for none. */
    final int identifier;

    Subscription(String filter, int options, int identifier) {
        this.filter = filter;
        this.filterUtf8 = filter.getBytes(StandardCharsets.UTF_8);
        int sharedAt = TopicNames.sharedFilterOffset(filterUtf8, 0, filterUtf8.length);
        this.shareName = sharedAt < 0 ? null : new String(filterUtf8, 7, sharedAt - 8, StandardCharsets.UTF_8);
        this.qos = options & 0b11;
        this.noLocal = (options & 0b100) != 0;
        this.retainAsPublished = (options & 0b1000) != 0;
        this.retainHandling = (options >>> 4) & 0b11;
        this.identifier = identifier;
    }

    boolean matches(byte[] topicUtf8) {
        return TopicNames.matches(filterUtf8, 0, filterUtf8.length, topicUtf8, 0, topicUtf8.length);
    }

    boolean shared() {
        return shareName != null;
    }

    @Override
    public String toString() {
        return filter + " qos=" + qos;
    }
}
