package io.pipit.testkit.internal;

import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.TopicNames;
import io.pipit.testkit.RecordedPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every packet the broker received and sent, in order, plus which clients are connected; and the waiting that
 * tests do on both. Thread-safe: the loop thread appends, test threads read and wait, all under this object's
 * monitor. Waiters wake on every change; nothing here calls back into user code except the predicates passed
 * to the await methods, which run on the waiting thread.
 */
public final class PacketLog {
    private static final int PACKETS_IN_FAILURE_MESSAGE = 40;

    private final int limit;
    private final Deque<RecordedPacket> packets = new ArrayDeque<>();
    private final Set<String> connected = new LinkedHashSet<>();
    private long dropped;

    /** @param limit how many packets to keep; the oldest are dropped beyond it */
    public PacketLog(int limit) {
        this.limit = limit;
    }

    synchronized void add(RecordedPacket packet) {
        if (packets.size() == limit) {
            packets.removeFirst();
            dropped++;
        }
        packets.addLast(packet);
        notifyAll();
    }

    synchronized void connected(String clientId) {
        connected.add(clientId);
        notifyAll();
    }

    synchronized void disconnected(String clientId) {
        connected.remove(clientId);
        notifyAll();
    }

    /** @return the Client Identifiers connected now, in the order they connected */
    public synchronized Set<String> connectedClients() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(connected));
    }

    /** @return the packets recorded so far that {@code filter} accepts, oldest first */
    public synchronized List<RecordedPacket> select(Predicate<RecordedPacket> filter) {
        List<RecordedPacket> out = new ArrayList<>();
        for (RecordedPacket p : packets) {
            if (filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Forgets every recorded packet (not the connection state). */
    public synchronized void clear() {
        packets.clear();
        dropped = 0;
    }

    /**
     * Waits until at least {@code count} recorded packets match, counting those already recorded.
     *
     * @param what a description for the failure message, e.g. "PUBLISH matching 'tele/+/temp'"
     * @return the first {@code count} matching packets
     * @throws AssertionError after {@code timeout}, listing what did arrive
     */
    public synchronized List<RecordedPacket> await(Predicate<RecordedPacket> filter, int count, Duration timeout,
            String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RecordedPacket> found = select(filter);
            if (found.size() >= count) {
                return found.subList(0, count);
            }
            if (!waitUntil(deadline)) {
                throw new AssertionError(String.format("expected %d x %s within %d ms, but %d arrived.%n%s", count,
                        what, timeout.toMillis(), found.size(), describeAll()));
            }
        }
    }

    /**
     * Waits for PUBLISHes received from clients whose topics match {@code topicFilter}.
     *
     * @throws IllegalArgumentException when {@code topicFilter} is not a valid Topic Filter
     */
    public List<RecordedPacket> awaitPublishes(String topicFilter, int count, Duration timeout) {
        byte[] filter = topicFilter.getBytes(StandardCharsets.UTF_8);
        int problem = TopicNames.checkTopicFilter(filter, 0, filter.length);
        if (problem != TopicNames.VALID) {
            throw new IllegalArgumentException("'" + topicFilter + "': " + TopicNames.describe(problem));
        }
        return await(p -> p.direction() == RecordedPacket.Direction.RECEIVED && p.type() == PacketType.PUBLISH
                && matches(filter, p.topic()), count, timeout, "PUBLISH from a client matching '" + topicFilter + "'");
    }

    private static boolean matches(byte[] filter, String topic) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return TopicNames.matches(filter, 0, filter.length, t, 0, t.length);
    }

    /**
     * Waits until {@code clientId} is connected ({@code wanted} true) or not connected (false).
     *
     * @throws AssertionError after {@code timeout}, listing the packets recorded
     */
    public synchronized void awaitConnected(String clientId, boolean wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connected.contains(clientId) != wanted) {
            if (!waitUntil(deadline)) {
                throw new AssertionError(String.format("expected client '%s' to be %s within %d ms; connected now: "
                        + "%s.%n%s", clientId, wanted ? "connected" : "disconnected", timeout.toMillis(), connected,
                        describeAll()));
            }
        }
    }

    /** @return false when the deadline has passed */
    private boolean waitUntil(long deadlineNs) {
        long left = deadlineNs - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the mock broker", e);
        }
    }

    /** @return the last packets recorded, one a line, for a failure message */
    public synchronized String describeAll() {
        if (packets.isEmpty()) {
            return "The broker recorded no packets" + (dropped > 0 ? " (" + dropped + " dropped)." : ".");
        }
        StringBuilder s = new StringBuilder();
        int skip = Math.max(0, packets.size() - PACKETS_IN_FAILURE_MESSAGE);
        s.append("Packets recorded (").append(packets.size() + dropped).append(" in all");
        s.append(skip + dropped > 0 ? ", the last " + (packets.size() - skip) + " shown" : "").append("):");
        int i = 0;
        for (RecordedPacket p : packets) {
            if (i++ >= skip) {
                s.append(System.lineSeparator()).append("  ").append(p);
            }
        }
        return s.toString();
    }
}
