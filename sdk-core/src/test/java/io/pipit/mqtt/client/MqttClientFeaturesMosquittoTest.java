package io.pipit.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MosquittoBroker;
import io.pipit.mqtt.testing.MosquittoPerClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MQTT 5 features end to end through mosquitto: properties, sessions, wills, shared subscriptions. */
@ExtendWith(MosquittoPerClass.class)
class MqttClientFeaturesMosquittoTest {
    private static MosquittoBroker broker;

    @BeforeAll
    static void useBroker(MosquittoBroker perClass) {
        broker = perClass;
    }

    private static MqttClientBuilder client(String id, String uri) {
        return MqttClient.builder().server(uri).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    private static String describe(Message m) {
        MqttProperties copy = new MqttProperties().copyFrom(m.properties());
        return m.topic() + " " + m.payloadAsString() + " response=" + m.properties().string(Property.RESPONSE_TOPIC)
                + " correlation=" + new String(copy.bytes(Property.CORRELATION_DATA) == null ? new byte[0]
                        : copy.bytes(Property.CORRELATION_DATA), StandardCharsets.UTF_8)
                + " users=" + m.properties().userPropertyCount() + " subIds=" + m.properties().subscriptionIdentifierCount();
    }

    @Test
    void shouldCarryRequestResponsePropertiesAndSubscriptionIdentifiers() throws Exception {
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        try (MqttClient responder = client("responder", broker.uri()).build();
                MqttClient requester = client("requester", broker.uri()).build()) {
            responder.connect();
            responder.subscribe("svc/time/req", QoS.AT_LEAST_ONCE, m -> requests.add(describe(m)))
                    .get(5, TimeUnit.SECONDS);
            requester.connect();
            MqttProperties properties = new MqttProperties().string(Property.RESPONSE_TOPIC, "svc/time/resp/requester")
                    .put(Property.CORRELATION_DATA, "req-1".getBytes(StandardCharsets.UTF_8))
                    .put(Property.MESSAGE_EXPIRY_INTERVAL, 30).addUserProperty("trace", "abc");
            byte[] payload = "now?".getBytes(StandardCharsets.UTF_8);
            requester.publish(Topic.of("svc/time/req"), payload, 0, payload.length, QoS.AT_LEAST_ONCE, false,
                    properties);
            assertEquals("svc/time/req now? response=svc/time/resp/requester correlation=req-1 users=1 subIds=1",
                    requests.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldAnswerARequestThroughTheRequestResponseHelper() throws Exception {
        try (MqttClient responder = client("clock", broker.uri()).build();
                MqttClient requester = client("asker", broker.uri()).build()) {
            responder.connect();
            responder.subscribe("svc/clock", QoS.AT_LEAST_ONCE, m -> {
                // a responder copies the Correlation Data and answers on the Response Topic
                MqttProperties reply = new MqttProperties().copyFrom(m.properties());
                byte[] answer = ("echo:" + m.payloadAsString()).getBytes(StandardCharsets.UTF_8);
                responder.publish(Topic.of(m.properties().string(Property.RESPONSE_TOPIC).toString()), answer, 0,
                        answer.length, QoS.AT_LEAST_ONCE, false, new MqttProperties().put(Property.CORRELATION_DATA,
                                reply.bytes(Property.CORRELATION_DATA)));
            }).get(5, TimeUnit.SECONDS);
            requester.connect();
            byte[] first = requester.request(Topic.of("svc/clock"), "one".getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE, "svc/clock/replies/asker").get(5, TimeUnit.SECONDS);
            byte[] second = requester.request(Topic.of("svc/clock"), "two".getBytes(StandardCharsets.UTF_8),
                    QoS.AT_LEAST_ONCE, "svc/clock/replies/asker").get(5, TimeUnit.SECONDS);
            assertEquals("echo:one", new String(first, StandardCharsets.UTF_8));
            assertEquals("echo:two", new String(second, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldPublishADelayedWillWithItsProperties() throws Exception {
        BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = client("will-watcher", broker.uri()).build()) {
            watcher.connect();
            watcher.subscribe("lwt/+", QoS.AT_LEAST_ONCE, m -> wills.add(m.topic() + "=" + m.payloadAsString()
                    + " users=" + m.properties().userPropertyCount())).get(5, TimeUnit.SECONDS);
            MqttClient device = client("device-9", proxy.uri()).sessionExpiry(10, TimeUnit.SECONDS)
                    .will("lwt/device-9", "gone".getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties()
                            .put(Property.WILL_DELAY_INTERVAL, 1).addUserProperty("site", "basement")).build();
            device.connect();
            proxy.cut();
            assertEquals("lwt/device-9=gone users=1", wills.poll(10, TimeUnit.SECONDS));
            device.close();
        }
    }

    @Test
    void shouldHonourNoLocalAndSendRepeatTopicsAsAliases() throws Exception {
        BlockingQueue<String> own = new LinkedBlockingQueue<>();
        int messages = 200;
        long[] bytes = new long[2];
        for (int aliases = 0; aliases < 2; aliases++) {
            BlockingQueue<Long> completed = new LinkedBlockingQueue<>();
            try (FaultProxy proxy = FaultProxy.start(broker.port());
                    MqttClient client = client("alias-" + aliases, proxy.uri()).outgoingTopicAliases(aliases * 8)
                            .publishListener((sequence, code) -> completed.add(sequence)).build()) {
                client.connect();
                client.subscribe("echo/#", QoS.AT_LEAST_ONCE, true, false, 0, m -> own.add(m.payloadAsString()))
                        .get(5, TimeUnit.SECONDS);
                Topic topic = Topic.of("echo/a/rather/long/topic/name/for/a/sensor/reading");
                for (int i = 0; i < messages; i++) {
                    client.publish(topic, new byte[] {1}, 0, 1, QoS.AT_MOST_ONCE);
                }
                long last = client.publish(topic, new byte[] {1}, 0, 1, QoS.AT_LEAST_ONCE);
                Long done;
                do {
                    done = completed.poll(5, TimeUnit.SECONDS); // the PUBACK proves the broker read everything
                } while (done != null && done != last);
                bytes[aliases] = proxy.bytesToBroker();
            }
        }
        assertEquals(null, own.poll(200, TimeUnit.MILLISECONDS), "No Local: our own publishes never came back");
        assertTrue(bytes[1] < bytes[0] * 2 / 3, "with aliases " + bytes[1] + " bytes, without " + bytes[0]);
    }

    @Test
    void shouldDeliverToOneMemberOfASharedSubscription() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(10);
        try (MqttClient a = client("worker-a", broker.uri()).build();
                MqttClient b = client("worker-b", broker.uri()).build();
                MqttClient producer = client("producer", broker.uri()).build()) {
            a.connect();
            b.connect();
            a.subscribe("$share/workers/jobs/#", QoS.AT_LEAST_ONCE, m -> {
                got.add("a:" + m.payloadAsString());
                all.countDown();
            }).get(5, TimeUnit.SECONDS);
            b.subscribe("$share/workers/jobs/#", QoS.AT_LEAST_ONCE, m -> {
                got.add("b:" + m.payloadAsString());
                all.countDown();
            }).get(5, TimeUnit.SECONDS);
            producer.connect();
            for (int i = 0; i < 10; i++) {
                byte[] job = ("job" + i).getBytes(StandardCharsets.UTF_8);
                producer.publish(Topic.of("jobs/x"), job, 0, job.length, QoS.AT_LEAST_ONCE);
            }
            assertTrue(all.await(5, TimeUnit.SECONDS), "got " + got);
        }
        assertEquals(10, got.size(), "each job exactly once across the group: " + got);
    }

    @Test
    void shouldHandTheUnroutedListenerWhatAResumedSessionDeliversBeforeSubscribe() throws Exception {
        BlockingQueue<String> unrouted = new LinkedBlockingQueue<>();
        MqttClient first = client("unrouted-sub", broker.uri()).cleanStart(false)
                .sessionExpiry(1, TimeUnit.MINUTES).build();
        first.connect();
        first.subscribe("offline/+", QoS.AT_LEAST_ONCE, m -> { }).get(5, TimeUnit.SECONDS);
        first.disconnect(); // the session, with its subscription, stays on the broker
        try (MqttClient publisher = client("unrouted-pub", broker.uri()).build()) {
            publisher.connect();
            for (int i = 0; i < 3; i++) {
                byte[] payload = ("m" + i).getBytes(StandardCharsets.UTF_8);
                publisher.publish(Topic.of("offline/" + i), payload, 0, payload.length, QoS.AT_LEAST_ONCE);
            }
            publisher.disconnect();
        }
        // resumed without calling subscribe again: the queued messages match no listener of this process
        try (MqttClient resumed = client("unrouted-sub", broker.uri()).cleanStart(false)
                .sessionExpiry(0, TimeUnit.SECONDS)
                .unroutedMessageListener(m -> unrouted.add(m.topic() + "=" + m.payloadAsString())).build()) {
            resumed.connect();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(unrouted.poll(5, TimeUnit.SECONDS));
            }
            assertEquals(List.of("offline/0=m0", "offline/1=m1", "offline/2=m2"), seen);
        }
    }

    @Test
    void shouldPublishTheWillWhenTheConnectionDiesWithoutDisconnect() throws Exception {
        BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = client("watcher", broker.uri()).build()) {
            watcher.connect();
            watcher.subscribe("status/+", QoS.AT_LEAST_ONCE, m -> wills.add(m.topic() + "=" + m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            MqttClient device = client("device-7", proxy.uri())
                    .will("status/device-7", "offline".getBytes(StandardCharsets.UTF_8), 1, false).build();
            device.connect();
            proxy.cut();
            assertEquals("status/device-7=offline", wills.poll(5, TimeUnit.SECONDS));
            device.close();
        }
    }

    @Test
    void shouldResumeTheSessionAndDeliverEverythingAfterASocketKill() throws Exception {
        int count = 2_000;
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CountDownLatch completed = new CountDownLatch(count);
        java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = client("resume-sub", broker.uri()).build()) {
            subscriber.connect();
            subscriber.subscribe("resume/#", QoS.AT_LEAST_ONCE, m -> received.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            try (MqttClient publisher = client("resume-pub", proxy.uri()).cleanStart(false)
                    .sessionExpiry(1, TimeUnit.HOURS).automaticReconnect(true)
                    .reconnectDelay(10, 100, TimeUnit.MILLISECONDS)
                    .publishListener((seq, code) -> completed.countDown())
                    .connectionListener(new ConnectionListener() {
                        @Override
                        public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                            reconnects.incrementAndGet();
                        }
                    }).build()) {
                publisher.connect();
                for (int i = 0; i < count; i++) {
                    byte[] payload = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                    publisher.publish(Topic.of("resume/n"), payload, 0, payload.length, QoS.AT_LEAST_ONCE);
                    if (i == count / 3 || i == 2 * count / 3) {
                        proxy.cut(); // the client's socket dies mid-stream; it reconnects and resends
                        awaitReconnected(publisher, reconnects, i == count / 3 ? 1 : 2);
                    }
                }
                assertTrue(completed.await(20, TimeUnit.SECONDS), "completed " + (count - completed.getCount()));
                assertEquals(2, reconnects.get(), "the two cuts each cost a connection");
            }
        }
        boolean[] seen = new boolean[count];
        String value;
        while ((value = received.poll(1, TimeUnit.SECONDS)) != null) {
            seen[Integer.parseInt(value)] = true;
        }
        for (int i = 0; i < count; i++) {
            assertTrue(seen[i], "message " + i + " lost");
        }
    }

    private static void awaitReconnected(MqttClient client, java.util.concurrent.atomic.AtomicInteger losses,
            int expectedLosses) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((losses.get() < expectedLosses || !client.isConnected()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(client.isConnected(), "reconnected after cut " + expectedLosses);
    }
}
