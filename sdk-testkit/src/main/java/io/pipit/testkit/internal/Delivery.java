package io.pipit.testkit.internal;

import java.util.List;

/**
 * One message on its way to one session: queued, or in flight with a Packet Identifier. Mutable (its state
 * moves PUBLISH sent, then PUBREL sent for QoS 2); confined to the loop thread.
 */
final class Delivery {
    final Message message;
    final int qos;
    final boolean retain;
    final List<Integer> subscriptionIds;
    int packetId;
    /** True once PUBREC arrived and PUBREL was sent (QoS 2). */
    boolean released;

    Delivery(Message message, int qos, boolean retain, List<Integer> subscriptionIds) {
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds;
    }
}
