package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.MqttClientBuilder;
import io.pipit.mqtt.client.PublishListener;
import io.pipit.mqtt.queue.FileQueue;
import io.pipit.mqtt.queue.QueueOptions;
import io.pipit.mqtt.queue.QueueStats;
import io.pipit.mqtt.testing.ArtemisCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pipit against a two-node ActiveMQ Artemis cluster on loopback ({@link ArtemisCluster}): a QoS 1 stream through a
 * {@link FileQueue} with a persistent session survives the stop of the node the publisher is on (the client moves
 * to the other node of its server list) and that node's restart, every message arriving at least once; and a shared
 * subscription group with a member on each node gets every message once. Every wait is a condition with a generous
 * deadline; the hold, the stop and the restart are triggered by counts of acknowledged publishes.
 *
 * <p>How node A is stopped matters. Artemis 2.41's own graceful {@code ActiveMQServer.stop()} stops the cluster
 * connection, and with it the node's binding to the subscription on the other node, before it pauses its acceptors
 * and closes its MQTT connections; a PUBLISH that arrives in between is routed to no queue and acknowledged with
 * PUBACK 0x00 all the same ({@code MQTTPublishManager.sendToQueue} ignores the routing status), so the publisher
 * cannot tell it from a delivered one: with that stop, 13 to 204 of the 5,000 went missing per run seen. The test
 * therefore stops node A as an operator takes a node out of service ({@link ArtemisCluster#stop}): its MQTT acceptor
 * stops accepting, its MQTT connections are closed, and {@code stop()} comes once none is left. Shortly before, node
 * A stops forwarding to node B ({@link ArtemisCluster#holdForwarding}), so the last messages it acknowledges are, at
 * its stop, in its journal only (its store-and-forward queue to B); the test checks that they had not arrived before
 * A's restart and that they arrive after. The hold also keeps the bridge idle at the stop: stopped while its bridge
 * was forwarding, a node once took 10 s to stop, waiting on the bridge's thread. A broker plugin
 * ({@code ArtemisUnroutedMessages}) records any MQTT message a node routed to no queue; the test asserts there is
 * none, so a change of scenario that lets the broker drop messages again fails as such rather than as a client loss.
 */
class ClusterFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFailoverTest.class);
    private static final int A = 0;
    private static final int B = 1;
    /** Bound of any single wait: generous for a loaded 2-core machine, still finite. */
    private static final long WAIT_S = 60;
    private static final int MESSAGES = 5_000;
    /** Acknowledged publishes before node A holds what it forwards to B ({@link ArtemisCluster#holdForwarding}). */
    private static final int HOLD_AFTER = 1_300;
    /**
     * Publishes, all sent after the hold, that node A acknowledges before it is stopped: they are then in its
     * journal only, and reach node B once A is back.
     */
    private static final int HELD = 200;
    /**
     * The producer holds at this message until node A is back, so the stream goes on through node B both while A
     * is down and after it rejoined; node A is restarted once all before it are acknowledged.
     */
    private static final int RESTART_AT = 3_500;
    /** Most publishes queued or unacknowledged at once, so the stop finds some in the queue and in flight. */
    private static final int AHEAD = 500;
    private static final int SHARED_MESSAGES = 200;

    @Test
    void shouldLoseNoQos1MessageWhenTheNodeThePublisherIsOnStopsAndRestarts(@TempDir Path queueDirectory)
            throws Exception {
        final String topic = "cluster/stream";
        final String publisherId = "cluster-stream-pub";
        final Tally received = new Tally(MESSAGES, null);
        final Stream stream = new Stream(MESSAGES);
        final AtomicInteger drops = new AtomicInteger();
        final QueueOptions options = new QueueOptions().dropListener((sequence, cause) -> drops.incrementAndGet());
        try (ArtemisCluster cluster = ArtemisCluster.start();
                MqttClient subscriber = persistent("cluster-stream-sub").server(cluster.uri(B)).build();
                FileQueue queue = FileQueue.open(queueDirectory.toFile(), options);
                MqttClient publisher = persistent(publisherId).server(cluster.uri(A)).server(cluster.uri(B))
                        .queue(queue).publishListener(stream).connectionListener(stream).build()) {
            cluster.awaitBridged(WAIT_S);
            subscriber.connect();
            assertEquals(1, (int) subscriber.subscribe(topic, QoS.AT_LEAST_ONCE, received).get(WAIT_S,
                    TimeUnit.SECONDS), "SUBACK granted QoS 1 on node B");
            cluster.awaitRemoteConsumer(A, topic, WAIT_S);
            publisher.connect();
            assertTrue(cluster.hasClient(A, publisherId), "the publisher starts on node A, first in its list");
            final Thread producer = new Thread(() -> stream.produce(publisher, Topic.of(topic)), "producer");
            producer.start();
            stream.confirmed.await(HOLD_AFTER, "publishes acknowledged by node A");
            cluster.holdForwarding(A);
            // of the first (published + HELD) acknowledged, at least HELD were published after the hold
            stream.confirmed.await(stream.published.get() + HELD, "publishes acknowledged by node A, held");
            assertEquals(1, stream.connects.value(), "the publisher is still on node A, so A acknowledged them");
            final QueueStats stats = publisher.queueStats(new QueueStats());
            final int waiting = queue.size();
            final String atStop = "at node A's stop about " + stream.published.get() + " published, "
                    + stream.confirmed.value() + " acknowledged, " + (stats.depthMessages() - waiting)
                    + " in flight, " + waiting + " not yet sent";
            cluster.stop(A);
            stream.connects.await(2, "the reconnection after node A stopped");
            assertTrue(cluster.hasClient(B, publisherId), "the publisher moved to node B");
            stream.confirmed.await(RESTART_AT, "publishes acknowledged by node B");
            final int beforeRestart = received.distinctBelow(RESTART_AT);
            assertTrue(beforeRestart <= RESTART_AT - HELD, "node A kept the " + HELD + " or more it acknowledged "
                    + "after the hold until its restart; arrived before it: " + beforeRestart + " of " + RESTART_AT);
            cluster.restart(A);
            stream.restarted.countDown();
            producer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            assertNull(stream.failure.get(), "the producer published every message");
            stream.confirmed.await(MESSAGES, "every publish acknowledged");
            assertNothingLost(cluster, topic, stream, received, atStop + "; of the " + RESTART_AT
                    + " acknowledged before its restart " + beforeRestart + " had arrived by then; " + drops.get()
                    + " queue drops");
            assertEquals(0, drops.get(), "the FileQueue dropped nothing");
        }
    }

    /**
     * Waits until every message arrived and the nodes hold none for {@code topic} any more (so the count of
     * duplicates is final), logs the figures, and asserts that none is lost and that the broker routed every
     * message it accepted to some queue.
     */
    private static void assertNothingLost(ArtemisCluster cluster, String topic, Stream stream, Tally received,
            String details) throws InterruptedException {
        final boolean complete = received.distinct.reaches(MESSAGES);
        if (complete) {
            cluster.awaitDrained(topic, WAIT_S);
        }
        final List<Integer> missing = received.missing();
        final String report = cluster.describe() + ": sent " + stream.published.get() + ", received "
                + received.distinct.value() + " distinct, lost " + missing.size() + ", duplicates "
                + received.duplicates();
        final List<String> unrouted = new ArrayList<>(cluster.unrouted(A));
        unrouted.addAll(cluster.unrouted(B));
        LOG.info(report);
        LOG.info("{}; {} routed to no queue by the broker, {} publishes refused", details, unrouted.size(),
                stream.refused.get());
        assertEquals(List.of(), unrouted, "accepted by a node but routed to no queue: " + report);
        assertEquals(0, stream.refused.get(), "publishes refused: " + report);
        assertEquals(List.of(), stream.describe(missing), "lost: " + report);
    }

    @Test
    void shouldShareOneGroupAcrossBothNodes() throws Exception {
        final String topic = "cluster/shared";
        final String filter = "$share/g/" + topic;
        final Stream stream = new Stream(SHARED_MESSAGES);
        final Tally union = new Tally(SHARED_MESSAGES, null);
        final Tally[] members = {new Tally(SHARED_MESSAGES, union), new Tally(SHARED_MESSAGES, union)};
        try (ArtemisCluster cluster = ArtemisCluster.start();
                MqttClient memberA = MqttClient.builder().server(cluster.uri(A)).clientId("cluster-share-A").build();
                MqttClient memberB = MqttClient.builder().server(cluster.uri(B)).clientId("cluster-share-B").build();
                MqttClient publisher = MqttClient.builder().server(cluster.uri(A)).clientId("cluster-share-pub")
                        .publishListener(stream).build()) {
            cluster.awaitBridged(WAIT_S);
            final MqttClient[] memberClients = {memberA, memberB};
            for (int node = A; node <= B; node++) {
                final MqttClient member = memberClients[node];
                member.connect();
                final boolean available = member.serverCapabilities().sharedSubscriptionAvailable();
                final int granted = member.subscribe(filter, QoS.AT_LEAST_ONCE, members[node]).get(WAIT_S,
                        TimeUnit.SECONDS);
                LOG.info("node {}: CONNACK Shared Subscription Available {}, SUBACK {} for {}", cluster.name(node),
                        available, ReasonCode.describe(granted), filter);
                assertTrue(available, "node " + cluster.name(node) + " announces shared subscriptions");
                assertEquals(1, granted, "node " + cluster.name(node) + " grants " + filter + " at QoS 1");
            }
            cluster.awaitRemoteConsumer(A, topic, WAIT_S);
            publisher.connect();
            stream.produce(publisher, Topic.of(topic), 0, SHARED_MESSAGES);
            stream.confirmed.await(SHARED_MESSAGES, "shared publishes acknowledged by node A");
            union.distinct.reaches(SHARED_MESSAGES);
            int toBoth = 0;
            for (int i = 0; i < SHARED_MESSAGES; i++) {
                toBoth += members[A].count(i) > 0 && members[B].count(i) > 0 ? 1 : 0;
            }
            final String report = cluster.describe() + ", " + filter + " published on node A: sent "
                    + SHARED_MESSAGES + ", member on A " + members[A].distinct.value() + ", member on B "
                    + members[B].distinct.value() + ", to both members " + toBoth + ", lost " + union.missing().size()
                    + ", duplicates " + (members[A].duplicates() + members[B].duplicates());
            LOG.info(report);
            assertEquals(List.of(), union.missing(), "lost: " + report);
            assertEquals(0, toBoth, "each message to one member: " + report);
            assertTrue(members[B].distinct.value() > 0, "the group spans the nodes: " + report);
        }
    }

    /** @return the payload of message {@code number}, e.g. "000042" */
    private static String payload(int number) {
        return String.format("%06d", number);
    }

    /** A persistent session (clean start off, 5 min expiry) that reconnects by itself, quickly. */
    private static MqttClientBuilder persistent(String clientId) {
        return MqttClient.builder()
                .clientId(clientId)
                .cleanStart(false)
                .sessionExpiry(5, TimeUnit.MINUTES)
                .automaticReconnect(true)
                .reconnectDelay(50, 500, TimeUnit.MILLISECONDS)
                .connectTimeout(10, TimeUnit.SECONDS);
    }

    /** A count that a test thread awaits; increments come from the clients' I/O threads. Thread-safe. */
    private static final class Count {
        private int value;

        synchronized void add() {
            value++;
            notifyAll();
        }

        synchronized int value() {
            return value;
        }

        /** Waits until the count reaches {@code target}; fails after {@link #WAIT_S}. */
        void await(int target, String what) throws InterruptedException {
            if (!reaches(target)) {
                throw new AssertionError("waited " + WAIT_S + " s for " + what + ": " + value() + " of " + target);
            }
        }

        /** @return whether the count reached {@code target} within {@link #WAIT_S} */
        synchronized boolean reaches(int target) throws InterruptedException {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (value < target) {
                final long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            }
            return true;
        }
    }

    /**
     * Counts deliveries per payload number ("000042" is message 42), and passes each on to a union tally, if any.
     * Thread-safe: the clients' I/O threads add.
     */
    private static final class Tally implements MessageListener {
        private final AtomicIntegerArray counts;
        private final Tally union;
        final Count distinct = new Count();
        private final AtomicInteger total = new AtomicInteger();

        Tally(int messages, Tally union) {
            this.counts = new AtomicIntegerArray(messages);
            this.union = union;
        }

        @Override
        public void onMessage(Message message) {
            final byte[] payload = new byte[message.payloadLength()];
            message.copyPayload(payload, 0);
            add(Integer.parseInt(new String(payload, StandardCharsets.US_ASCII)));
        }

        private void add(int number) {
            total.incrementAndGet();
            if (counts.getAndIncrement(number) == 0) {
                distinct.add();
            }
            if (union != null) {
                union.add(number);
            }
        }

        int count(int number) {
            return counts.get(number);
        }

        /** @return how many of the numbers below {@code limit} arrived so far */
        int distinctBelow(int limit) {
            int seen = 0;
            for (int i = 0; i < limit; i++) {
                seen += counts.get(i) > 0 ? 1 : 0;
            }
            return seen;
        }

        /** @return the numbers that never arrived */
        List<Integer> missing() {
            final List<Integer> absent = new ArrayList<>();
            for (int i = 0; i < counts.length(); i++) {
                if (counts.get(i) == 0) {
                    absent.add(i);
                }
            }
            return absent;
        }

        int duplicates() {
            return total.get() - distinct.value();
        }
    }

    /**
     * The publishing side: numbered QoS 1 publishes, at most {@link #AHEAD} unacknowledged, with counts of what was
     * published, acknowledged and refused, of connections, and for each message the connection that acknowledged it.
     * Thread-safe: the producer thread publishes, the client's I/O thread completes.
     */
    private static final class Stream implements PublishListener, ConnectionListener {
        final AtomicInteger published = new AtomicInteger();
        final Count confirmed = new Count();
        final Count connects = new Count();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch restarted = new CountDownLatch(1);
        private final Semaphore window = new Semaphore(AHEAD);
        private final AtomicLongArray sequences;
        private final Map<Long, Integer> completedOnConnection = new ConcurrentHashMap<>();
        private final Map<Long, Integer> reasonCodes = new ConcurrentHashMap<>();

        Stream(int messages) {
            sequences = new AtomicLongArray(messages);
        }

        @Override
        public void onPublishCompleted(long sequence, int reasonCode) {
            completedOnConnection.put(sequence, connects.value());
            reasonCodes.put(sequence, reasonCode);
            if (ReasonCode.isError(reasonCode)) {
                refused.incrementAndGet();
                LOG.warn("publish {} refused: {}", sequence, ReasonCode.describe(reasonCode));
            } else {
                confirmed.add();
            }
            window.release();
        }

        @Override
        public void onConnected(boolean sessionPresent) {
            LOG.info("publisher connected, session present {}", sessionPresent);
            connects.add();
        }

        @Override
        public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
            LOG.info("publisher disconnected: {} {} (reconnecting {})", reasonCode, detail, reconnecting);
        }

        /** The failover stream: messages up to {@link #RESTART_AT}, then, once node A is back, the rest. */
        void produce(MqttClient client, Topic topic) {
            try {
                produce(client, topic, 0, RESTART_AT);
                if (!restarted.await(2 * WAIT_S, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("node A was not restarted within " + 2 * WAIT_S + " s");
                }
                produce(client, topic, RESTART_AT, MESSAGES);
            } catch (InterruptedException | RuntimeException e) {
                failure.set(e.toString());
                LOG.error("producer stopped", e);
            }
        }

        /** Publishes messages {@code from} (inclusive) to {@code to} (exclusive). */
        void produce(MqttClient client, Topic topic, int from, int to) throws InterruptedException {
            for (int i = from; i < to; i++) {
                if (!window.tryAcquire(WAIT_S, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement for " + WAIT_S + " s after message " + i);
                }
                final byte[] payload = payload(i).getBytes(StandardCharsets.US_ASCII);
                final long sequence = client.publish(topic, payload, 0, payload.length, QoS.AT_LEAST_ONCE, false,
                        null, WAIT_S, TimeUnit.SECONDS);
                if (sequence < 0) {
                    throw new IllegalStateException("the queue stayed full for " + WAIT_S + " s at message " + i);
                }
                sequences.set(i, sequence);
                published.incrementAndGet();
            }
        }

        /** @return e.g. "1734 (sequence 1734, acknowledged on connection 1 with 0)" for each of {@code numbers} */
        List<String> describe(List<Integer> numbers) {
            final List<String> described = new ArrayList<>();
            for (int number : numbers) {
                final long sequence = sequences.get(number);
                described.add(number + " (sequence " + sequence + ", acknowledged on connection "
                        + completedOnConnection.get(sequence) + " with " + reasonCodes.get(sequence) + ")");
            }
            return described;
        }
    }
}
