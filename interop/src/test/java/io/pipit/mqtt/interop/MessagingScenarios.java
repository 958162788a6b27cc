package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.client.ConnectionListener;
import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.client.ServerCapabilities;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.PublishEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Message-level scenarios. Each first reads what the broker announced (CONNACK) or answered (SUBACK) and reports
 * "not supported" with that answer; everything the broker accepted must then work.
 */
final class MessagingScenarios {
    private static final int BURST = 1_000;
    private static final int SHARED_MESSAGES = 20;
    /**
     * How long no shared message at all may take before a 3.1.1 broker is judged to have none: the whole usual wait,
     * since a verdict ("not supported") must not change because a loaded machine delayed the first delivery.
     */
    private static final long FIRST_SHARED_WAIT_S = Clients.WAIT_S;
    /** A Topic Alias property (id + two bytes) the client may add to a PUBLISH. */
    private static final int TOPIC_ALIAS_BYTES = 3;
    /** The smallest packet the large-payload probe tries when a broker announces no maximum. */
    private static final int MIN_PROBED_PACKET = 1024;

    private final BrokerRow row;

    MessagingScenarios(BrokerRow row) {
        this.row = row;
    }

    /** Publishes at {@code qos} and receives at {@code qos}: both directions of the QoS flow. */
    Outcome qos(int qos) throws Exception {
        try (Clients clients = new Clients(row, "qos" + qos)) {
            final MqttClient client = clients.connect("c");
            final int maximum = client.serverCapabilities().maximumQos();
            if (qos > maximum) {
                return Outcome.notSupported("CONNACK Maximum QoS = " + maximum);
            }
            final String topic = clients.topic("t");
            final Inbox inbox = new Inbox();
            final int granted = clients.subscribe(client, topic, QoS.of(qos), inbox);
            if (ReasonCode.isError(granted)) {
                return Outcome.notSupported(Clients.suback(granted));
            }
            clients.completions().awaitSuccess(client.publish(topic, SessionScenarios.bytes("q" + qos), QoS.of(qos)),
                    Clients.WAIT_S);
            final Inbox.Received received = inbox.next("at QoS " + qos, Clients.WAIT_S);
            assertEquals("q" + qos, received.text());
            assertEquals(Math.min(qos, granted), received.qos(), "delivered at the granted QoS");
            return granted < qos
                    ? Outcome.notSupported("SUBACK granted QoS " + granted + " for a QoS " + qos + " subscription")
                    : Outcome.pass();
        }
    }

    Outcome retained() throws Exception {
        try (Clients clients = new Clients(row, "retained")) {
            final MqttClient client = clients.connect("c");
            if (!client.serverCapabilities().retainAvailable()) {
                return Outcome.notSupported("CONNACK Retain Available = 0");
            }
            final QoS qos = SessionScenarios.reliableQos(client);
            final Topic topic = Topic.of(clients.topic("state"));
            final byte[] state = SessionScenarios.bytes("on");
            clients.completions().awaitSuccess(client.publish(topic, state, 0, state.length, qos, true), Clients.WAIT_S);
            final Inbox inbox = new Inbox();
            final int granted = clients.subscribe(clients.connect("late"), topic.name(), qos, inbox);
            assertTrue(!ReasonCode.isError(granted), () -> "subscribing: " + Clients.suback(granted));
            final Inbox.Received received = inbox.next("retained", Clients.WAIT_S);
            assertEquals("on", received.text());
            // an empty retained payload clears the topic (spec 3.3.1.3)
            clients.completions().awaitSuccess(client.publish(topic, new byte[0], 0, 0, qos, true), Clients.WAIT_S);
            // Arriving for a subscription made after the publish is what shows it was kept; a broker that forgets
            // the RETAIN flag on it (spec 3.3.1.3 asks for it) is named, since applications may test the flag.
            return received.retain() ? Outcome.pass()
                    : Outcome.pass("delivered, but the broker left the RETAIN flag clear");
        }
    }

    Outcome unsubscribe() throws Exception {
        try (Clients clients = new Clients(row, "unsubscribe")) {
            final MqttClient client = clients.connect("c");
            final QoS qos = SessionScenarios.reliableQos(client);
            final Inbox inbox = new Inbox();
            final String gone = clients.topic("gone");
            final String kept = clients.topic("kept");
            clients.subscribe(client, gone, qos, inbox);
            clients.subscribe(client, kept, qos, inbox);
            final int code = client.unsubscribe(gone).get(Clients.WAIT_S, TimeUnit.SECONDS);
            assertTrue(!ReasonCode.isError(code), () -> "UNSUBACK " + ReasonCode.describe(code));
            clients.completions().awaitSuccess(client.publish(gone, SessionScenarios.bytes("gone"), qos),
                    Clients.WAIT_S);
            clients.completions().awaitSuccess(client.publish(kept, SessionScenarios.bytes("kept"), qos),
                    Clients.WAIT_S);
            assertEquals(kept, inbox.next("on the kept subscription", Clients.WAIT_S).topic());
            assertEquals(0, inbox.pending(), "nothing arrives for the removed subscription");
            return Outcome.pass();
        }
    }

    Outcome wildcards() throws Exception {
        try (Clients clients = new Clients(row, "wildcards")) {
            final MqttClient client = clients.connect("c");
            if (!client.serverCapabilities().wildcardSubscriptionAvailable()) {
                return Outcome.notSupported("CONNACK Wildcard Subscription Available = 0");
            }
            final QoS qos = SessionScenarios.reliableQos(client);
            final Inbox inbox = new Inbox();
            for (String filter : new String[] {clients.topic("plus/+/t"), clients.topic("hash/#")}) {
                final int granted = clients.subscribe(client, filter, qos, inbox);
                if (ReasonCode.isError(granted)) {
                    return Outcome.notSupported(Clients.suback(granted) + " for " + filter);
                }
            }
            final List<String> expected = List.of(clients.topic("plus/a/t"), clients.topic("hash/x/y/z"),
                    clients.topic("plus/ctl/t"));
            for (String topic : List.of(expected.get(0), clients.topic("plus/a/u"), expected.get(1), expected.get(2))) {
                clients.completions().awaitSuccess(client.publish(topic, SessionScenarios.bytes(topic), qos),
                        Clients.WAIT_S);
            }
            final Set<String> topics = new HashSet<>();
            for (Inbox.Received received : inbox.next(expected.size(), "matching the wildcards", Clients.WAIT_S)) {
                topics.add(received.topic());
            }
            assertEquals(new HashSet<>(expected), topics);
            assertEquals(0, inbox.pending(), "nothing arrives for a topic no filter matches");
            return Outcome.pass();
        }
    }

    /** Two members of one share group: each message reaches exactly one of them. */
    Outcome shared() throws Exception {
        try (Clients clients = new Clients(row, "shared")) {
            final MqttClient publisher = clients.connect("publisher");
            final ServerCapabilities capabilities = publisher.serverCapabilities();
            if (!capabilities.sharedSubscriptionAvailable()) {
                return Outcome.notSupported("CONNACK Shared Subscription Available = 0");
            }
            final QoS qos = SessionScenarios.reliableQos(publisher);
            final String topic = clients.topic("work");
            final Inbox[] members = {new Inbox(), new Inbox()};
            for (int i = 0; i < members.length; i++) {
                final int granted = clients.subscribe(clients.connect("member" + i), "$share/workers/" + topic, qos,
                        members[i]);
                if (ReasonCode.isError(granted)) {
                    return Outcome.notSupported(Clients.suback(granted) + " for $share/workers/...");
                }
            }
            for (int i = 0; i < SHARED_MESSAGES; i++) {
                clients.completions().awaitSuccess(publisher.publish(topic, SessionScenarios.bytes("job" + i), qos),
                        Clients.WAIT_S);
            }
            final List<String> jobs = collect(members, SHARED_MESSAGES);
            if (jobs.isEmpty() && !publisher.protocolVersion().isMqtt5()) {
                // MQTT 3.1.1 has no shared subscriptions: a broker without them takes "$share/..." as a plain
                // filter, grants it, and delivers nothing to it
                return Outcome.notSupported("MQTT 3.1.1: SUBACK granted $share/workers/... as a plain filter and "
                        + "none of " + SHARED_MESSAGES + " messages arrived");
            }
            assertEquals(SHARED_MESSAGES, new HashSet<>(jobs).size(), "every job once: " + jobs);
            assertEquals(0, members[0].pending() + members[1].pending(), "no job delivered to both members");
            return Outcome.pass();
        }
    }

    /**
     * @return {@code count} payloads taken from any of {@code inboxes}; none when nothing came within
     *     {@link #FIRST_SHARED_WAIT_S} (the publishes were acknowledged before: delivery is due at once); fails
     *     when some but not all came within the usual wait
     */
    private static List<String> collect(Inbox[] inboxes, int count) throws InterruptedException {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(Clients.WAIT_S);
        final List<String> payloads = new ArrayList<>();
        while (payloads.size() < count) {
            if (payloads.isEmpty() && System.nanoTime() - startNs > TimeUnit.SECONDS.toNanos(FIRST_SHARED_WAIT_S)) {
                return payloads;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new AssertionError("only " + payloads.size() + " of " + count + " shared messages arrived: "
                        + payloads);
            }
            for (Inbox inbox : inboxes) {
                final Inbox.Received received = inbox.poll(5);
                if (received != null) {
                    payloads.add(received.text());
                }
            }
        }
        return payloads;
    }

    /**
     * A payload as large as the broker's announced Maximum Packet Size allows (capped by the client's own 1 MiB
     * limit), round trip. A broker that announces nothing (every 3.1.1 broker) gets a 1 MiB packet; if it answers
     * by closing the connection, the packet is halved until one goes through, and the cell says where it closed.
     */
    Outcome largePayload() throws Exception {
        try (Clients clients = new Clients(row, "large")) {
            final ServerCapabilities capabilities = clients.connect("probe").serverCapabilities();
            final boolean announced = capabilities.announced(Property.MAXIMUM_PACKET_SIZE);
            int packet = (int) Math.min(capabilities.maximumPacketSize(), Clients.CLIENT_MAXIMUM_PACKET_SIZE);
            int refused = 0;
            int payload;
            while ((payload = roundTrip(clients, packet)) < 0) {
                if (announced || packet <= MIN_PROBED_PACKET) {
                    throw new AssertionError("the broker closed the connection on a " + packet + "-byte PUBLISH"
                            + (announced ? " within its announced Maximum Packet Size" : ""));
                }
                refused = packet;
                packet /= 2;
            }
            final String limit = announced
                    ? String.format(Locale.ROOT, "CONNACK Maximum Packet Size %,d", capabilities.maximumPacketSize())
                    : "no maximum announced" + (refused == 0 ? ""
                            : String.format(Locale.ROOT, "; the broker closed the connection on a %,d-byte packet", refused));
            return Outcome.pass(String.format(Locale.ROOT, "%,d-byte payload; %s", payload, limit));
        }
    }

    /** @return the payload length that made the round trip in a packet of {@code packet} bytes, or -1 if refused */
    private static int roundTrip(Clients clients, int packet) throws Exception {
        // Only a close after the PUBLISH is the broker's answer to it. The client reports a disconnect during
        // connect() too, when it falls back from MQTT 5 to 3.1.1 (RabbitMQ, Moquette): counting that one made the
        // verdict depend on whether the round trip beat the first 20 ms poll, i.e. on the machine's speed.
        final AtomicBoolean published = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        final MqttClient client = clients.connect("c" + packet, b -> b.connectionListener(new ConnectionListener() {
            @Override
            public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                if (published.get()) {
                    closed.set(true);
                }
            }
        }));
        final QoS qos = SessionScenarios.reliableQos(client);
        final Topic topic = Topic.of(clients.topic("blob"));
        final int overhead = PublishEncoder.encodedLength(ProtocolVersion.MQTT_5, topic.byteLength(), qos.value(),
                null, 0) + TOPIC_ALIAS_BYTES;
        final byte[] payload = new byte[packet - overhead];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        final Inbox inbox = new Inbox();
        clients.subscribe(client, topic.name(), qos, inbox);
        published.set(true);
        final long sequence = client.publish(topic, payload, 0, payload.length, qos);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(Clients.WAIT_S);
        Inbox.Received received;
        while ((received = inbox.poll(20)) == null) {
            if (closed.get()) {
                return -1;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new AssertionError("no answer to a " + packet + "-byte PUBLISH within " + Clients.WAIT_S + " s");
            }
        }
        clients.completions().awaitSuccess(sequence, Clients.WAIT_S);
        assertArrayEquals(payload, received.payload());
        client.disconnect();
        return payload.length;
    }

    /** 1,000 messages published back to back at QoS 1 (or the broker's maximum) arrive complete and in order. */
    Outcome burst() throws Exception {
        try (Clients clients = new Clients(row, "burst")) {
            final MqttClient client = clients.connect("c");
            final QoS qos = SessionScenarios.reliableQos(client);
            final Topic topic = Topic.of(clients.topic("stream"));
            final Inbox inbox = new Inbox();
            clients.subscribe(client, topic.name(), qos, inbox);
            final byte[] payload = new byte[4];
            long first = -1;
            long last = -1;
            for (int i = 0; i < BURST; i++) {
                ByteBuffer.wrap(payload).putInt(i);
                last = client.publish(topic, payload, 0, payload.length, qos);
                assertTrue(last >= 0, "the outbound queue took message " + i);
                first = i == 0 ? last : first;
            }
            clients.completions().awaitSuccess(first, last, 4 * Clients.WAIT_S);
            final List<Inbox.Received> received = inbox.next(BURST, "of the burst", 4 * Clients.WAIT_S);
            for (int i = 0; i < BURST; i++) {
                assertEquals(i, ByteBuffer.wrap(received.get(i).payload()).getInt(), "message " + i + " in order");
            }
            // the client sized its window and its topic aliases by these, when the broker announced them
            final ServerCapabilities capabilities = client.serverCapabilities();
            return Outcome.pass("QoS " + qos.value()
                    + (capabilities.announced(Property.RECEIVE_MAXIMUM)
                            ? ", Receive Maximum " + capabilities.receiveMaximum() : "")
                    + (capabilities.topicAliasMaximum() > 0
                            ? ", Topic Alias Maximum " + capabilities.topicAliasMaximum() : ""));
        }
    }
}
