package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.BinaryView;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.Utf8View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the broker interoperability tests share: copying a received message (valid only in its callback) into a
 * string, and bounded waits. Stateless, so thread-safe.
 */
final class InteropSupport {
    private InteropSupport() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes {@code text} as UTF-8 (allocates: test set-up, not the message path). */
    static long publish(MqttClient client, String topic, String text, QoS qos, boolean retain) {
        final byte[] payload = utf8(text);
        return client.publish(Topic.of(topic), payload, 0, payload.length, qos, retain);
    }

    /** @return "topic=payload@qos" plus " retained" when the server flagged it so */
    static String brief(Message message) {
        return message.topic() + "=" + message.payloadAsString() + "@" + message.qos()
                + (message.retain() ? " retained" : "");
    }

    /**
     * @return the MQTT 5 properties a request/response exchange cares about, e.g.
     *     {@code "response=a/b correlation=req-1 users=[k=v] subIds=[1]"}; absent ones are left out
     */
    static String properties(Message message) {
        final PropertiesView properties = message.properties();
        final StringBuilder out = new StringBuilder();
        final Utf8View response = properties.string(Property.RESPONSE_TOPIC);
        if (response.isPresent()) {
            out.append("response=").append(response).append(' ');
        }
        final BinaryView correlation = properties.binary(Property.CORRELATION_DATA);
        if (correlation.isPresent()) {
            out.append("correlation=").append(new String(correlation.toByteArray(), StandardCharsets.UTF_8))
                    .append(' ');
        }
        final List<String> users = new ArrayList<>();
        for (int i = 0; i < properties.userPropertyCount(); i++) {
            final String key = properties.userPropertyKey(i).toString();  // the key view is reused: read it first
            users.add(key + "=" + properties.userPropertyValue(i));
        }
        out.append("users=").append(users).append(" subIds=").append(subscriptionIdentifiers(message));
        return out.toString();
    }

    static List<Integer> subscriptionIdentifiers(Message message) {
        final List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < message.properties().subscriptionIdentifierCount(); i++) {
            ids.add(message.properties().subscriptionIdentifier(i));
        }
        return ids;
    }

    /** @return up to {@code count} items, each waited for at most {@code seconds}; fewer when they stop coming */
    static List<String> take(BlockingQueue<String> queue, int count, long seconds) throws InterruptedException {
        final List<String> out = new ArrayList<>();
        while (out.size() < count) {
            final String next = queue.poll(seconds, TimeUnit.SECONDS);
            if (next == null) {
                break;
            }
            out.add(next);
        }
        return out;
    }

    /**
     * Takes numbers from {@code queue} until every one of {@code from..to-1} was seen (duplicates and numbers
     * outside the range allowed) or {@code seconds} passed, then asserts none is missing, naming any that are.
     */
    static void assertNoneLost(BlockingQueue<String> queue, int from, int to, long seconds)
            throws InterruptedException {
        final boolean[] seen = new boolean[to - from];
        int missing = seen.length;
        int received = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (missing > 0 && deadline - System.nanoTime() > 0) {
            final String value = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            final int n = value == null ? -1 : Integer.parseInt(value) - from;
            received += value == null ? 0 : 1;
            if (n >= 0 && n < seen.length && !seen[n]) {
                seen[n] = true;
                missing--;
            }
        }
        final List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                lost.add(from + i);
            }
        }
        assertEquals(List.of(), lost, "lost messages (" + received + " received)");
    }

    /** Waits until {@code losses} reached {@code expected} and the client is connected again. */
    static void awaitReconnected(MqttClient client, AtomicInteger losses, int expected) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((losses.get() < expected || !client.isConnected()) && deadline - System.nanoTime() > 0) {
            Thread.sleep(1);
        }
        assertTrue(losses.get() >= expected && client.isConnected(),
                "reconnected after loss " + expected + " (losses " + losses.get() + ")");
    }

    /** Counts connection losses, the hook {@link #awaitReconnected} waits on. */
    static ConnectionListener countingLosses(AtomicInteger losses) {
        return new ConnectionListener() {
            @Override
            public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                losses.incrementAndGet();
            }
        };
    }
}
