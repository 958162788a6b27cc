package io.pipit.mqtt.client;

import static io.pipit.mqtt.client.InteropSupport.awaitReconnected;
import static io.pipit.mqtt.client.InteropSupport.brief;
import static io.pipit.mqtt.client.InteropSupport.countingLosses;
import static io.pipit.mqtt.client.InteropSupport.publish;
import static io.pipit.mqtt.client.InteropSupport.take;
import static io.pipit.mqtt.client.InteropSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.HiveMqBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against HiveMQ CE embedded (MQTT 5) on loopback: connect, QoS 0/1/2 both directions, retained
 * messages, wills (immediate and with Will Delay, cancelled by a timely return), and session resume on both
 * sides across client-side socket kills with every QoS 2 message delivered exactly once. The broker is shared
 * by the whole test run, so every client id and topic is unique to its test.
 */
@ExtendWith(HiveMqBroker.Extension.class)
final class MqttClientHiveMqTest {
    private final HiveMqBroker broker;

    MqttClientHiveMqTest(HiveMqBroker broker) {
        this.broker = broker;
    }

    private static MqttClientBuilder client(String id, String uri) {
        return MqttClient.builder().server(uri).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    @Test
    void shouldConnectAndRoundTripStreamsAtEveryQos() throws Exception {
        final int perQos = 50;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Integer> completions = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch completed = new CountDownLatch(3 * perQos);
        final List<Boolean> sessions = Collections.synchronizedList(new ArrayList<>());
        try (MqttClient subscriber = client("hmq-qos-sub", broker.uri()).build();
                MqttClient publisher = client("hmq-qos-pub", broker.uri()).connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(boolean sessionPresent) {
                        sessions.add(sessionPresent);
                    }
                }).publishListener((sequence, code) -> {
                    completions.add(code);
                    completed.countDown();
                }).build()) {
            subscriber.connect();
            assertEquals(2, subscriber.subscribe("hmq-qos/#", QoS.EXACTLY_ONCE, m -> received.add(brief(m)))
                    .get(5, TimeUnit.SECONDS), "granted QoS");
            publisher.connect();
            assertTrue(publisher.isConnected());
            for (int i = 0; i < perQos; i++) {
                for (QoS qos : QoS.values()) {
                    publish(publisher, "hmq-qos/" + qos.value(), "m" + i, qos, false);
                }
            }
            assertTrue(completed.await(10, TimeUnit.SECONDS), "completed " + completions.size());
            final List<String> got = take(received, 3 * perQos, 5);
            for (QoS qos : QoS.values()) {
                final List<String> expected = new ArrayList<>();
                final List<String> actual = new ArrayList<>();
                for (int i = 0; i < perQos; i++) {
                    expected.add("hmq-qos/" + qos.value() + "=m" + i + "@" + qos.value());
                }
                for (String message : got) {
                    if (message.startsWith("hmq-qos/" + qos.value())) {
                        actual.add(message);
                    }
                }
                assertEquals(expected, actual, "every " + qos + " message once, in order");
            }
        }
        assertEquals(Collections.nCopies(3 * perQos, 0), completions, "every publish completed with Success");
        assertEquals(List.of(false), sessions, "a clean start, so no session present");
    }

    @Test
    void shouldReceiveARetainedMessageOnSubscribeAndNoneOnceCleared() throws Exception {
        final BlockingQueue<String> first = new LinkedBlockingQueue<>();
        final BlockingQueue<String> second = new LinkedBlockingQueue<>();
        try (MqttClient publisher = client("hmq-retain-pub", broker.uri()).build();
                MqttClient subscriber = client("hmq-retain-sub", broker.uri()).build()) {
            publisher.connect();
            publish(publisher, "hmq-retained/lamp", "on", QoS.AT_LEAST_ONCE, true);
            publisher.disconnect();  // flushes and waits for the PUBACK: the broker holds it now
            subscriber.connect();
            subscriber.subscribe("hmq-retained/+", QoS.AT_LEAST_ONCE, m -> first.add(brief(m))).get(5, TimeUnit.SECONDS);
            assertEquals("hmq-retained/lamp=on@1 retained", first.poll(5, TimeUnit.SECONDS));

            publisher.connect();
            publish(publisher, "hmq-retained/lamp", "", QoS.AT_LEAST_ONCE, true);  // empty + retain clears it
            assertEquals("hmq-retained/lamp=@1", first.poll(5, TimeUnit.SECONDS), "live, so not flagged retained");
            subscriber.unsubscribe("hmq-retained/+").get(5, TimeUnit.SECONDS);
            subscriber.subscribe("hmq-retained/#", QoS.AT_LEAST_ONCE, m -> second.add(brief(m))).get(5, TimeUnit.SECONDS);
            assertNull(second.poll(500, TimeUnit.MILLISECONDS), "nothing retained any more");
        }
    }

    @Test
    void shouldPublishTheWillWhenTheSocketDiesWithoutDisconnect() throws Exception {
        final BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = client("hmq-will-watcher", broker.uri()).build();
                MqttClient device = client("hmq-will-device", proxy.uri())
                        .will("hmq-status/device-1", utf8("offline"), 1, false).build()) {
            watcher.connect();
            watcher.subscribe("hmq-status/+", QoS.AT_LEAST_ONCE, m -> wills.add(brief(m))).get(5, TimeUnit.SECONDS);
            device.connect();
            proxy.cut();
            assertEquals("hmq-status/device-1=offline@1", wills.poll(5, TimeUnit.SECONDS));
        }
    }

    /**
     * Will Delay Interval is set through the builder's package-private {@link io.pipit.mqtt.codec.ConnectEncoder}:
     * {@link MqttClientBuilder} has no public setter for Will properties yet.
     */
    @Test
    void shouldHoldADelayedWillUntilTheDelayPasses() throws Exception {
        final BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        final MqttClientBuilder builder;
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = client("hmq-delay-watcher", broker.uri()).build()) {
            watcher.connect();
            watcher.subscribe("hmq-delayed/+", QoS.AT_LEAST_ONCE, m -> wills.add(brief(m))).get(5, TimeUnit.SECONDS);
            builder = client("hmq-delay-device", proxy.uri()).sessionExpiry(60, TimeUnit.SECONDS)
                    .will("hmq-delayed/device-2", utf8("gone"), 1, false);
            builder.connect.willProperties().put(Property.WILL_DELAY_INTERVAL, 3);
            try (MqttClient device = builder.build()) {
                device.connect();
                proxy.cut();
                assertNull(wills.poll(1, TimeUnit.SECONDS), "a will with a 3 s delay must not come within 1 s");
                assertEquals("hmq-delayed/device-2=gone@1", wills.poll(10, TimeUnit.SECONDS), "the will after its delay");
            }
        }
    }

    @Test
    void shouldCancelADelayedWillWhenTheClientReturnsInTime() throws Exception {
        final BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        final AtomicInteger losses = new AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient watcher = client("hmq-return-watcher", broker.uri()).build()) {
            watcher.connect();
            watcher.subscribe("hmq-returns/+", QoS.AT_LEAST_ONCE, m -> wills.add(brief(m))).get(5, TimeUnit.SECONDS);
            final MqttClientBuilder builder = client("hmq-return-device", proxy.uri()).cleanStart(false)
                    .sessionExpiry(60, TimeUnit.SECONDS).automaticReconnect(true)
                    .reconnectDelay(10, 100, TimeUnit.MILLISECONDS).connectionListener(countingLosses(losses))
                    .will("hmq-returns/device-3", utf8("gone"), 1, false);
            // 5 s: the reconnect after a cut takes milliseconds on loopback, but must land within the delay also
            // when a loaded machine stalls the client or the broker for a while
            builder.connect.willProperties().put(Property.WILL_DELAY_INTERVAL, 5);
            try (MqttClient device = builder.build()) {
                device.connect();
                proxy.cut();
                awaitReconnected(device, losses, 1);
                assertNull(wills.poll(6, TimeUnit.SECONDS), "back within the 5 s delay: no will");
            }  // close() sends DISCONNECT 0x00, which discards the will
            assertNull(wills.poll(500, TimeUnit.MILLISECONDS), "a normal disconnect publishes no will");
        }
    }

    /**
     * Publisher and subscriber both connect through the fault proxy with persistent sessions; each cut kills both
     * sockets mid-stream. QoS 2 end to end: every message exactly once, in order.
     */
    @Test
    void shouldResumeBothSessionsAcrossSocketKillsWithEveryQos2MessageExactlyOnce() throws Exception {
        final int count = 1_000;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CountDownLatch completed = new CountDownLatch(count);
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger publisherLosses = new AtomicInteger();
        final AtomicInteger subscriberLosses = new AtomicInteger();
        final List<Boolean> resumed = Collections.synchronizedList(new ArrayList<>());
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = persistent("hmq-resume-sub", proxy.uri())
                        .connectionListener(new ConnectionListener() {
                            @Override
                            public void onConnected(boolean sessionPresent) {
                                resumed.add(sessionPresent);
                            }

                            @Override
                            public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                                subscriberLosses.incrementAndGet();
                            }
                        }).build();
                MqttClient publisher = persistent("hmq-resume-pub", proxy.uri())
                        .connectionListener(countingLosses(publisherLosses)).publishListener((sequence, code) -> {
                            if (code != 0) {
                                failed.incrementAndGet();
                            }
                            completed.countDown();
                        }).build()) {
            subscriber.connect();
            subscriber.subscribe("hmq-resume/#", QoS.EXACTLY_ONCE, m -> received.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            final Topic topic = Topic.of("hmq-resume/n");
            int unackedAtCuts = 0;
            for (int i = 0; i < count; i++) {
                final byte[] payload = utf8(Integer.toString(i));
                final boolean cutHere = i == count / 3 || i == 2 * count / 3;
                if (cutHere) {
                    // this publish goes into a black hole, so at the cut at least it is certainly incomplete,
                    // however fast the broker acknowledged the ones before it
                    proxy.blackHole(true);
                }
                publisher.publish(topic, payload, 0, payload.length, QoS.EXACTLY_ONCE);
                if (cutHere) {
                    final int cut = i == count / 3 ? 1 : 2;
                    unackedAtCuts += (int) (i + 1 - (count - completed.getCount()));
                    proxy.cut();
                    proxy.blackHole(false);
                    awaitReconnected(publisher, publisherLosses, cut);
                    awaitReconnected(subscriber, subscriberLosses, cut);
                }
            }
            assertTrue(completed.await(20, TimeUnit.SECONDS), "completed " + (count - completed.getCount()));
            assertEquals(0, failed.get(), "publishes completed with an error code");
            assertTrue(unackedAtCuts > 0, "the cuts found publishes not yet complete (else they proved nothing)");
            final List<String> got = take(received, count + 1, 2);  // one more than sent: a duplicate would show
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, got, "exactly once, in order");
            assertEquals(List.of(false, true, true), resumed, "the subscriber's session survived both cuts");
        }
    }

    private static MqttClientBuilder persistent(String id, String uri) {
        return client(id, uri).cleanStart(false).sessionExpiry(1, TimeUnit.HOURS).automaticReconnect(true)
                .reconnectDelay(10, 100, TimeUnit.MILLISECONDS);
    }
}
