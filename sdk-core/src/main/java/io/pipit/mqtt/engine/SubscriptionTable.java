package io.pipit.mqtt.engine;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.TopicNames;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The client's subscriptions: filter → listener, with the Subscription Identifier sent for each. A received
 * PUBLISH goes to the subscriptions its identifiers name when the server sends them (exact, and cheap), else
 * to every subscription whose filter matches its topic. Arrays grow on subscribe, never per message.
 * Not thread-safe: engine thread only.
 */
final class SubscriptionTable {
    // Two slots to start: a device typically subscribes a filter or two; add() doubles them for more.
    private byte[][] filters = new byte[2][];
    private int[] identifiers = new int[2];
    private int[] options = new int[2];
    private boolean[] acknowledged = new boolean[2];
    private MessageListener[] listeners = new MessageListener[2];
    private int size;
    private int nextIdentifier = 1;

    /**
     * Adds or replaces the subscription for {@code filter} (spec: a SUBSCRIBE for an existing filter replaces
     * it).
     *
     * @return the Subscription Identifier for it
     */
    int add(byte[] filter, int subscriptionOptions, MessageListener listener) {
        int index = indexOf(filter);
        if (index < 0) {
            if (size == filters.length) {
                filters = Arrays.copyOf(filters, size * 2);
                identifiers = Arrays.copyOf(identifiers, size * 2);
                options = Arrays.copyOf(options, size * 2);
                acknowledged = Arrays.copyOf(acknowledged, size * 2);
                listeners = Arrays.copyOf(listeners, size * 2);
            }
            index = size++;
            filters[index] = filter;
            identifiers[index] = nextIdentifier++;
        }
        options[index] = subscriptionOptions;
        acknowledged[index] = false;
        listeners[index] = listener;
        return identifiers[index];
    }

    int options(int index) {
        return options[index];
    }

    boolean isAcknowledged(int index) {
        return acknowledged[index];
    }

    /** The server holds no session: the subscription at {@code index} waits for a SUBACK on this connection. */
    void unacknowledge(int index) {
        acknowledged[index] = false;
    }

    /** The server answered the SUBSCRIBE for the subscription with {@code identifier}. */
    void acknowledge(int identifier, boolean granted) {
        for (int i = 0; i < size; i++) {
            if (identifiers[i] == identifier) {
                if (granted) {
                    acknowledged[i] = true;
                } else {
                    remove(filters[i]); // refused: nothing will arrive for it, so stop matching it
                }
                return;
            }
        }
    }

    /** Removes the subscription for {@code filter}; @return false when there was none */
    boolean remove(byte[] filter) {
        int index = indexOf(filter);
        if (index < 0) {
            return false;
        }
        size--;
        filters[index] = filters[size];
        identifiers[index] = identifiers[size];
        options[index] = options[size];
        acknowledged[index] = acknowledged[size];
        listeners[index] = listeners[size];
        filters[size] = null;
        listeners[size] = null;
        return true;
    }

    int size() {
        return size;
    }

    byte[] filter(int index) {
        return filters[index];
    }

    int identifier(int index) {
        return identifiers[index];
    }

    private int indexOf(byte[] filter) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(filters[i], filter)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds who gets a message: calls {@code sink} once per matching subscription's listener.
     *
     * @return the number of listeners it went to
     */
    int dispatch(PropertiesView properties, ByteBuffer topic, int topicOffset, int topicLength, Sink sink) {
        int delivered = 0;
        int ids = properties.subscriptionIdentifierCount();
        if (ids > 0) {
            for (int k = 0; k < ids; k++) {
                int id = properties.subscriptionIdentifier(k);
                for (int i = 0; i < size; i++) {
                    if (identifiers[i] == id) {
                        sink.deliver(listeners[i]);
                        delivered++;
                    }
                }
            }
            if (delivered > 0) {
                return delivered;
            }
        }
        for (int i = 0; i < size; i++) {
            if (TopicNames.matches(filters[i], 0, filters[i].length, topic, topicOffset, topicLength)) {
                sink.deliver(listeners[i]);
                delivered++;
            }
        }
        return delivered;
    }

    /** Where {@link #dispatch} sends each matching listener (the engine, holding the message). */
    interface Sink {
        void deliver(MessageListener listener);
    }
}
