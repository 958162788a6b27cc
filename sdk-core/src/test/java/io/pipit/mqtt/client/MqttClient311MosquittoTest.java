package io.pipit.mqtt.client;

import static io.pipit.mqtt.client.InteropSupport.assertNoneLost;
import static io.pipit.mqtt.client.InteropSupport.awaitReconnected;
import static io.pipit.mqtt.client.InteropSupport.brief;
import static io.pipit.mqtt.client.InteropSupport.countingLosses;
import static io.pipit.mqtt.client.InteropSupport.properties;
import static io.pipit.mqtt.client.InteropSupport.publish;
import static io.pipit.mqtt.client.InteropSupport.take;
import static io.pipit.mqtt.client.InteropSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.MessageListener;
import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client in MQTT 3.1.1 mode ({@code protocolVersion(MQTT_3_1_1)}) against a real mosquitto on loopback:
 * QoS 0/1/2 both ways (and with MQTT 5 clients on the other side), retained messages, wills, shared
 * subscriptions and a persistent session across a client-side socket kill. The protocol level of every
 * connection is read from mosquitto's log ({@code p2} = 3.1.1, {@code p5} = 5.0), not taken on trust.
 */
final class MqttClient311MosquittoTest {
    private static final Pattern CONNECTED = Pattern.compile("as (\\S+) \\(p(\\d)");
    private static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoBroker.startOrSkip();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttClientBuilder v311(String id, String uri) {
        return MqttClient.builder().server(uri).clientId(id).protocolVersion(ProtocolVersion.MQTT_3_1_1)
                .connectTimeout(5, TimeUnit.SECONDS);
    }

    private static MqttClientBuilder v5(String id) {
        return MqttClient.builder().server(broker.uri()).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    /** @return "p2" / "p5" for each connection mosquitto logged for {@code clientId}, in order */
    /**
     * Asserts that every connection mosquitto logged for {@code clientId} (at least {@code connections}) used the
     * protocol level {@code level} ("p2" 3.1.1, "p5" 5.0). At least, not exactly: a reconnect that a loaded machine
     * needed would add a connection at the same level, and that is not what these tests are about.
     */
    private static void assertConnectedOnlyAt(String level, int connections, String clientId) {
        final List<String> levels = loggedLevels(clientId);
        assertTrue(levels.size() >= connections, clientId + " connected " + levels + ", expected " + connections);
        assertEquals(java.util.Collections.singleton(level), new java.util.HashSet<>(levels), clientId + ": " + levels);
    }

    private static List<String> loggedLevels(String clientId) {
        final List<String> levels = new ArrayList<>();
        final Matcher m = CONNECTED.matcher(broker.log());
        while (m.find()) {
            if (m.group(1).equals(clientId)) {
                levels.add("p" + m.group(2));
            }
        }
        return levels;
    }

    @Test
    void shouldRoundTripEveryQosBetweenTwo311Clients() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Integer> completions = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch completed = new CountDownLatch(3);
        try (MqttClient subscriber = v311("m311-qos-sub", broker.uri()).build();
                MqttClient publisher = v311("m311-qos-pub", broker.uri()).publishListener((sequence, code) -> {
                    completions.add(code);
                    completed.countDown();
                }).build()) {
            subscriber.connect();
            assertEquals(2, subscriber.subscribe("m311-qos/#", QoS.EXACTLY_ONCE,
                    m -> received.add(brief(m) + " " + properties(m))).get(5, TimeUnit.SECONDS), "granted QoS");
            publisher.connect();
            final MqttProperties ignored = new MqttProperties().addUserProperty("not", "on 3.1.1");
            for (QoS qos : QoS.values()) {
                final byte[] payload = utf8("m" + qos.value());
                publisher.publish(Topic.of("m311-qos/" + qos.value()), payload, 0, payload.length, qos, false, ignored);
            }
            assertTrue(completed.await(5, TimeUnit.SECONDS), "completed " + completions);
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);  // order is promised per QoS, not across QoS levels
            assertEquals(List.of("m311-qos/0=m0@0 users=[] subIds=[]", "m311-qos/1=m1@1 users=[] subIds=[]",
                    "m311-qos/2=m2@2 users=[] subIds=[]"), got);
        }
        assertEquals(List.of(0, 0, 0), completions);
        assertConnectedOnlyAt("p2", 1, "m311-qos-sub");
        assertConnectedOnlyAt("p2", 1, "m311-qos-pub");
    }

    /**
     * MQTT 3.1.1 cannot tell mosquitto the client's Maximum Packet Size, so mosquitto sends a message larger than
     * it: the client ends the connection at once with 0x95 and says why (not a false keepalive timeout 90 s later),
     * reconnects, and the messages that fit arrive again.
     */
    @Test
    void shouldCloseAtOnceAndSayWhyWhenMosquittoSendsMoreThanTheClientsLimit() throws Exception {
        final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient small = v311("m311-big-sub", broker.uri()).maximumPacketSize(256 * 1024)
                .keepAlive(60, TimeUnit.SECONDS).automaticReconnect(true)
                .reconnectDelay(20, 100, TimeUnit.MILLISECONDS).connectionListener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                        disconnects.add(String.format("0x%02X %s reconnecting=%s", reasonCode, detail, reconnecting));
                    }
                }).build();
                MqttClient publisher = v5("m311-big-pub").maximumPacketSize(2 * 1024 * 1024).build()) {
            small.connect();
            final MessageListener listener = m -> received.add(m.topic() + "=" + m.payloadLength());
            assertEquals(1, small.subscribe("m311-big/#", QoS.AT_LEAST_ONCE, listener).get(5, TimeUnit.SECONDS));
            publisher.connect();
            final byte[] huge = new byte[1024 * 1024];
            publisher.publish(Topic.of("m311-big/huge"), huge, 0, huge.length, QoS.AT_LEAST_ONCE);

            final String heard = disconnects.poll(30, TimeUnit.SECONDS); // a bound on failure only
            final int size = 1 + 3 + 2 + "m311-big/huge".length() + 2 + huge.length; // as a 3.1.1 QoS 1 PUBLISH
            assertEquals("0x95 the server sent a PUBLISH of " + size + " bytes, over this client's Maximum Packet Size "
                    + "of 262144 bytes; raise it with MqttClientBuilder.maximumPacketSize(int) to receive it "
                    + "reconnecting=true", heard);
            // subscribed again (a clean session); its SUBACK also means the client is back
            assertEquals(1, small.subscribe("m311-big/#", QoS.AT_LEAST_ONCE, listener).get(10, TimeUnit.SECONDS));
            publish(publisher, "m311-big/small", "fits", QoS.AT_LEAST_ONCE, false);
            assertEquals(List.of("m311-big/small=4"), take(received, 1, 10));
            assertTrue(disconnects.isEmpty(), "one close only: " + disconnects);
        }
    }

    /** A 3.1.1 subscriber receives an MQTT 5 client's messages at every QoS, stripped of their properties. */
    @Test
    void shouldReceiveEveryQosOn311FromAnMqtt5Publisher() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient old = v311("m311-from5-sub", broker.uri()).build();
                MqttClient modern = v5("m311-from5-pub").build()) {
            old.connect();
            assertEquals(2, old.subscribe("m311-from5/#", QoS.EXACTLY_ONCE,
                    m -> received.add(brief(m) + " " + properties(m))).get(5, TimeUnit.SECONDS), "granted QoS");
            modern.connect();
            final MqttProperties properties = new MqttProperties().addUserProperty("trace", "abc");
            for (QoS qos : QoS.values()) {
                final byte[] payload = utf8("from5");
                modern.publish(Topic.of("m311-from5/" + qos.value()), payload, 0, payload.length, qos, false,
                        properties);
            }
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);  // order is promised per QoS, not across QoS levels
            assertEquals(List.of("m311-from5/0=from5@0 users=[] subIds=[]", "m311-from5/1=from5@1 users=[] subIds=[]",
                    "m311-from5/2=from5@2 users=[] subIds=[]"), got);
        }
        assertConnectedOnlyAt("p2", 1, "m311-from5-sub");
        assertConnectedOnlyAt("p5", 1, "m311-from5-pub");
    }

    /** An MQTT 5 subscriber receives a 3.1.1 client's messages at every QoS. */
    @Test
    void shouldPublishEveryQosFrom311ToAnMqtt5Subscriber() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient old = v311("m311-to5-pub", broker.uri()).build();
                MqttClient modern = v5("m311-to5-sub").build()) {
            modern.connect();
            modern.subscribe("m311-to5/#", QoS.EXACTLY_ONCE, m -> received.add(brief(m))).get(5, TimeUnit.SECONDS);
            old.connect();
            for (QoS qos : QoS.values()) {
                publish(old, "m311-to5/" + qos.value(), "from311", qos, false);
            }
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);
            assertEquals(List.of("m311-to5/0=from311@0", "m311-to5/1=from311@1", "m311-to5/2=from311@2"), got);
        }
        assertConnectedOnlyAt("p2", 1, "m311-to5-pub");
    }

    /**
     * Payload bytes must arrive exactly as given, whatever they look like: a 3.1.1 PUBLISH has no property
     * section, so a leading 0x00 or 0x02 is payload, not a property length.
     */
    @Test
    void shouldPublishBinaryPayloadsUnchangedOn311() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final byte[][] payloads = {{0, 1, 2, 3}, {2, 0, 0, 7, 8}, {(byte) 0x80, 1}, {}};
        try (MqttClient old = v311("m311-binary-pub", broker.uri()).build();
                MqttClient modern = v5("m311-binary-sub").build()) {
            modern.connect();
            modern.subscribe("m311-binary/#", QoS.AT_LEAST_ONCE, m -> {
                final byte[] copy = new byte[m.payloadLength()];
                m.copyPayload(copy, 0);
                received.add(java.util.Arrays.toString(copy));
            }).get(5, TimeUnit.SECONDS);
            old.connect();
            final List<String> expected = new ArrayList<>();
            for (byte[] payload : payloads) {
                old.publish(Topic.of("m311-binary/x"), payload, 0, payload.length, QoS.AT_LEAST_ONCE);
                expected.add(java.util.Arrays.toString(payload));
            }
            assertEquals(expected, take(received, payloads.length, 5));
        }
    }

    @Test
    void shouldReceiveARetainedMessageOn311() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient publisher = v5("m311-retain5-pub").build();
                MqttClient subscriber = v311("m311-retain5-sub", broker.uri()).build()) {
            publisher.connect();
            publish(publisher, "m311-retained5/lamp", "on", QoS.AT_LEAST_ONCE, true);
            publisher.disconnect();  // flushes and waits for the PUBACK: the broker holds it now
            subscriber.connect();
            subscriber.subscribe("m311-retained5/+", QoS.AT_LEAST_ONCE, m -> received.add(brief(m)))
                    .get(5, TimeUnit.SECONDS);
            assertEquals("m311-retained5/lamp=on@1 retained", received.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRetainAMessagePublishedOn311() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient publisher = v311("m311-retain-pub", broker.uri()).build();
                MqttClient subscriber = v311("m311-retain-sub", broker.uri()).build()) {
            publisher.connect();
            publish(publisher, "m311-retained/lamp", "on", QoS.AT_LEAST_ONCE, true);
            publisher.disconnect();  // flushes and waits for the PUBACK: the broker holds it now
            subscriber.connect();
            subscriber.subscribe("m311-retained/+", QoS.AT_LEAST_ONCE, m -> received.add(brief(m)))
                    .get(5, TimeUnit.SECONDS);
            assertEquals("m311-retained/lamp=on@1 retained", received.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldPublishTheWillWhenTheSocketDiesWithoutDisconnect() throws Exception {
        final BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = v311("m311-will-watcher", broker.uri()).build();
                MqttClient device = v311("m311-will-device", proxy.uri())
                        .will("m311-status/device-9", utf8("offline"), 1, true).build()) {
            watcher.connect();
            watcher.subscribe("m311-status/+", QoS.AT_LEAST_ONCE, m -> wills.add(brief(m))).get(5, TimeUnit.SECONDS);
            device.connect();
            proxy.cut();
            assertEquals("m311-status/device-9=offline@1", wills.poll(5, TimeUnit.SECONDS), "live, so not retained");
            try (MqttClient late = v311("m311-will-late", broker.uri()).build()) {
                late.connect();
                late.subscribe("m311-status/+", QoS.AT_LEAST_ONCE, m -> wills.add(brief(m))).get(5, TimeUnit.SECONDS);
                assertEquals("m311-status/device-9=offline@1 retained", wills.poll(5, TimeUnit.SECONDS),
                        "a retained will stays for later subscribers");
            }
        }
        assertConnectedOnlyAt("p2", 1, "m311-will-device");
    }

    @Test
    void shouldDeliverEachJobToExactlyOneMemberOfASharedSubscription() throws Exception {
        final int jobs = 20;
        final BlockingQueue<String> done = new LinkedBlockingQueue<>();
        try (MqttClient a = v311("m311-worker-a", broker.uri()).build();
                MqttClient b = v311("m311-worker-b", broker.uri()).build();
                MqttClient producer = v5("m311-producer").build()) {
            a.connect();
            b.connect();
            a.subscribe("$share/m311/m311-jobs/#", QoS.AT_LEAST_ONCE, m -> done.add("a " + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            b.subscribe("$share/m311/m311-jobs/#", QoS.AT_LEAST_ONCE, m -> done.add("b " + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            producer.connect();
            for (int i = 0; i < jobs; i++) {
                publish(producer, "m311-jobs/x", "job" + i, QoS.AT_LEAST_ONCE, false);
            }
            final List<String> got = take(done, jobs + 1, 2);  // one more than sent: a duplicate would show
            final Set<String> jobsSeen = new TreeSet<>();
            for (String entry : got) {
                jobsSeen.add(entry.substring(2));
            }
            assertEquals(jobs, got.size(), "each job once across the group: " + got);
            assertEquals(jobs, jobsSeen.size(), "no job twice: " + got);
        }
    }

    /**
     * A persistent 3.1.1 subscriber (Clean Session 0) behind the proxy, an MQTT 5 publisher connected directly;
     * each cut kills the subscriber's socket mid-stream. QoS 2 end to end: every message exactly once, in order.
     */
    @Test
    void shouldResumeA311SubscriberAcrossSocketKillsWithEveryQos2MessageExactlyOnce() throws Exception {
        final int count = 1_000;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CountDownLatch completed = new CountDownLatch(count);
        final AtomicInteger losses = new AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = persistent("m311-qos2-sub", proxy.uri())
                        .connectionListener(countingLosses(losses)).build();
                MqttClient publisher = v5("m311-qos2-pub").publishListener((sequence, code) -> completed.countDown())
                        .build()) {
            subscriber.connect();
            subscriber.subscribe("m311-qos2/#", QoS.EXACTLY_ONCE, m -> received.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            int receivedAtCuts = 0;
            for (int i = 0; i < count; i++) {
                publish(publisher, "m311-qos2/n", Integer.toString(i), QoS.EXACTLY_ONCE, false);
                if (i == count / 3 || i == 2 * count / 3) {
                    receivedAtCuts += received.size();
                    proxy.cut();
                    awaitReconnected(subscriber, losses, i == count / 3 ? 1 : 2);
                }
            }
            assertTrue(completed.await(20, TimeUnit.SECONDS), "completed " + (count - completed.getCount()));
            final List<String> got = take(received, count + 1, 2);  // one more than sent: a duplicate would show
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, got, "exactly once, in order (" + receivedAtCuts + " had arrived at the cuts)");
        }
        assertConnectedOnlyAt("p2", 3, "m311-qos2-sub");
    }

    /**
     * A persistent 3.1.1 session (Clean Session 0) on both sides, both through the proxy; each cut kills both
     * sockets mid-stream. QoS 1: every message arrives (duplicates allowed).
     */
    @Test
    void shouldResume311SessionsOnBothSidesAcrossSocketKillsAndLoseNothing() throws Exception {
        final int count = 1_000;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CountDownLatch completed = new CountDownLatch(count);
        final AtomicInteger publisherLosses = new AtomicInteger();
        final AtomicInteger subscriberLosses = new AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = persistent("m311-resume-sub", proxy.uri())
                        .connectionListener(countingLosses(subscriberLosses)).build();
                MqttClient publisher = persistent("m311-resume-pub", proxy.uri())
                        .connectionListener(countingLosses(publisherLosses))
                        .publishListener((sequence, code) -> completed.countDown()).build()) {
            subscriber.connect();
            subscriber.subscribe("m311-resume/#", QoS.AT_LEAST_ONCE, m -> received.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            for (int i = 0; i < count; i++) {
                publish(publisher, "m311-resume/n", Integer.toString(i), QoS.AT_LEAST_ONCE, false);
                if (i == count / 3 || i == 2 * count / 3) {
                    final int cut = i == count / 3 ? 1 : 2;
                    proxy.cut();
                    awaitReconnected(publisher, publisherLosses, cut);
                    awaitReconnected(subscriber, subscriberLosses, cut);
                }
            }
            assertTrue(completed.await(20, TimeUnit.SECONDS), "completed " + (count - completed.getCount()));
            assertNoneLost(received, 0, count, 15);
        }
        assertConnectedOnlyAt("p2", 3, "m311-resume-pub");
    }

    private static MqttClientBuilder persistent(String id, String uri) {
        return v311(id, uri).cleanStart(false).automaticReconnect(true).reconnectDelay(10, 100, TimeUnit.MILLISECONDS);
    }
}
