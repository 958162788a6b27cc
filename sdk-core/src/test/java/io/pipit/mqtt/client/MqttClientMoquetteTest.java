package io.pipit.mqtt.client;

import static io.pipit.mqtt.client.InteropSupport.assertNoneLost;
import static io.pipit.mqtt.client.InteropSupport.awaitReconnected;
import static io.pipit.mqtt.client.InteropSupport.brief;
import static io.pipit.mqtt.client.InteropSupport.properties;
import static io.pipit.mqtt.client.InteropSupport.publish;
import static io.pipit.mqtt.client.InteropSupport.take;
import static io.pipit.mqtt.client.InteropSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.pipit.mqtt.MqttException;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.testing.FaultProxy;
import io.pipit.mqtt.testing.MoquetteBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against Moquette 0.17 (MQTT 3.1.1 only) embedded on loopback. Every client here is built with the
 * defaults, so it opens with an MQTT 5 CONNECT; Moquette refuses it and the client must fall back to 3.1.1 by
 * itself: receive at QoS 0/1/2 (from Eclipse Paho's 3.1.1 client, the reference peer) and retained messages,
 * deliver publishes it queued as MQTT 5 before the fallback, and stay on 3.1.1 when it reconnects, its session
 * kept. What version a connection used is read on the broker's side (its connect interceptor), not taken on trust.
 */
final class MqttClientMoquetteTest {
    private static MoquetteBroker broker;
    /** "clientId v&lt;protocol level&gt;" of every CONNECT Moquette accepted, in order. */
    private static final BlockingQueue<String> ACCEPTED = new LinkedBlockingQueue<>();
    /** Client ids whose connection Moquette saw drop without DISCONNECT, in order. */
    private static final BlockingQueue<String> DROPPED = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startBroker() {
        broker = MoquetteBroker.start();
        broker.server().addInterceptHandler(new AbstractInterceptHandler() {
            @Override
            public String getID() {
                return "pipit-connect-recorder";
            }

            @Override
            public void onConnect(InterceptConnectMessage connect) {
                ACCEPTED.add(connect.getClientID() + " v" + connect.getProtocolVersion());
            }

            @Override
            public void onConnectionLost(InterceptConnectionLostMessage lost) {
                DROPPED.add(lost.getClientID());
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                throw new IllegalStateException("Moquette session loop failed", error);
            }
        });
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static MqttClientBuilder client(String id, String uri) {
        return MqttClient.builder().server(uri).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    /** @return a connected Eclipse Paho MQTT 3.1.1 client: the reference peer on the other side */
    private static org.eclipse.paho.client.mqttv3.MqttClient paho311(String id) throws Exception {
        final org.eclipse.paho.client.mqttv3.MqttClient paho =
                new org.eclipse.paho.client.mqttv3.MqttClient(broker.uri(), id, new MemoryPersistence());
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // Paho frees an in-flight slot on its callback thread, after publish() has returned: back-to-back QoS 1
        // publishes can hit the default limit of 10 ("Too many publishes in progress") though each was acked.
        options.setMaxInflight(1_000);
        paho.connect(options);
        return paho;
    }

    private static void closePaho(org.eclipse.paho.client.mqttv3.MqttClient paho) throws Exception {
        if (paho.isConnected()) {
            paho.disconnect();
        }
        paho.close();
    }

    /**
     * @return the accepted CONNECTs of {@code clientId}, once there are {@code count} of them or 5 s passed
     *     (Moquette calls its interceptors on its own executor, so the last one may lag the CONNACK)
     */
    private static List<String> acceptedConnects(String clientId, int count) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            final List<String> out = new ArrayList<>();
            for (String entry : ACCEPTED) {
                if (entry.startsWith(clientId + " ")) {
                    out.add(entry);
                }
            }
            if (out.size() >= count || deadline - System.nanoTime() <= 0) {
                return out;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Connects and waits until Moquette has finished accepting: it marks a connection usable only after its CONNACK
     * was written, and closes one whose SUBSCRIBE beats that ("SUBSCRIBE received on already closed connection"),
     * which a fast client subscribing straight after {@code connect()} sometimes does. Its connect interceptor
     * runs after that point.
     */
    private static void connect(MqttClient client, String clientId) throws Exception {
        final int before = acceptedConnects(clientId, 0).size();
        client.connect();
        assertEquals(before + 1, acceptedConnects(clientId, before + 1).size(), "Moquette accepted " + clientId);
    }

    /** Waits until Moquette saw {@code clientId}'s connection drop (recorded since {@link #DROPPED} was cleared). */
    private static void awaitDropped(String clientId) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!DROPPED.contains(clientId) && deadline - System.nanoTime() > 0) {
            Thread.sleep(5);
        }
        assertTrue(DROPPED.contains(clientId), "Moquette saw the connection of " + clientId + " drop");
    }

    @Test
    void shouldFallBackTo311AndReceiveEveryQos() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final org.eclipse.paho.client.mqttv3.MqttClient paho = paho311("mq-recv-paho");
        try (MqttClient subscriber = client("mq-recv-sub", broker.uri()).build()) {
            connect(subscriber, "mq-recv-sub");
            assertTrue(subscriber.isConnected());
            assertEquals(2, subscriber.subscribe("mq-recv/#", QoS.EXACTLY_ONCE,
                    m -> received.add(brief(m) + " " + properties(m))).get(5, TimeUnit.SECONDS), "granted QoS");
            for (int qos = 0; qos <= 2; qos++) {
                paho.publish("mq-recv/" + qos, utf8("p" + qos), qos, false);
            }
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);  // Moquette keeps order per QoS, not across QoS levels
            assertEquals(List.of("mq-recv/0=p0@0 users=[] subIds=[]", "mq-recv/1=p1@1 users=[] subIds=[]",
                    "mq-recv/2=p2@2 users=[] subIds=[]"), got);
        } finally {
            closePaho(paho);
        }
        assertEquals(List.of("mq-recv-sub v4"), acceptedConnects("mq-recv-sub", 1), "the client fell back");
    }

    @Test
    void shouldFallBackTo311AndPublishEveryQos() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Integer> completions = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch completed = new CountDownLatch(3);
        try (MqttClient subscriber = client("mq-qos-sub", broker.uri()).build();
                MqttClient publisher = client("mq-qos-pub", broker.uri()).publishListener((sequence, code) -> {
                    completions.add(code);
                    completed.countDown();
                }).build()) {
            connect(subscriber, "mq-qos-sub");
            assertEquals(2, subscriber.subscribe("mq-qos/#", QoS.EXACTLY_ONCE,
                    m -> received.add(brief(m) + " " + properties(m))).get(5, TimeUnit.SECONDS), "granted QoS");
            connect(publisher, "mq-qos-pub");
            assertTrue(publisher.isConnected());
            // Properties are MQTT 5 only: after the fallback the client drops them instead of failing.
            final MqttProperties properties = new MqttProperties().addUserProperty("dropped", "on 3.1.1")
                    .put(Property.MESSAGE_EXPIRY_INTERVAL, 30);
            for (QoS qos : QoS.values()) {
                final byte[] payload = utf8("m" + qos.value());
                publisher.publish(Topic.of("mq-qos/" + qos.value()), payload, 0, payload.length, qos, false,
                        properties);
            }
            assertTrue(completed.await(5, TimeUnit.SECONDS), "completed " + completions);
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);  // Moquette keeps order per QoS, not across QoS levels
            assertEquals(List.of("mq-qos/0=m0@0 users=[] subIds=[]", "mq-qos/1=m1@1 users=[] subIds=[]",
                    "mq-qos/2=m2@2 users=[] subIds=[]"), got);
        }
        assertEquals(List.of(0, 0, 0), completions);
        assertEquals(List.of("mq-qos-sub v4"), acceptedConnects("mq-qos-sub", 1), "the subscriber fell back");
        assertEquals(List.of("mq-qos-pub v4"), acceptedConnects("mq-qos-pub", 1), "the publisher fell back");
    }

    /** Publishes queued before the first CONNECT were encoded as MQTT 5; the fallback must re-shape them. */
    @Test
    void shouldDeliverPublishesQueuedBeforeTheFallback() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient subscriber = client("mq-early-sub", broker.uri()).build();
                MqttClient publisher = client("mq-early-pub", broker.uri()).build()) {
            connect(subscriber, "mq-early-sub");
            subscriber.subscribe("mq-early/#", QoS.EXACTLY_ONCE, m -> received.add(brief(m))).get(5, TimeUnit.SECONDS);
            for (QoS qos : QoS.values()) {
                publish(publisher, "mq-early/" + qos.value(), "queued" + qos.value(), qos, false);
            }
            assertEquals(3, publisher.queuedCount(), "waiting in the queue, encoded before any version was known");
            connect(publisher, "mq-early-pub");
            final List<String> got = take(received, 3, 5);
            Collections.sort(got);
            assertEquals(List.of("mq-early/0=queued0@0", "mq-early/1=queued1@1", "mq-early/2=queued2@2"), got);
        }
        assertEquals(List.of("mq-early-pub v4"), acceptedConnects("mq-early-pub", 1));
    }

    @Test
    void shouldReceiveARetainedMessageAfterTheFallback() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final org.eclipse.paho.client.mqttv3.MqttClient paho = paho311("mq-retained-paho");
        try (MqttClient subscriber = client("mq-retained-sub", broker.uri()).build()) {
            paho.publish("mq-retained-by-paho/lamp", utf8("on"), 1, true);  // returns once PUBACKed
            connect(subscriber, "mq-retained-sub");
            subscriber.subscribe("mq-retained-by-paho/+", QoS.AT_LEAST_ONCE, m -> received.add(brief(m)))
                    .get(5, TimeUnit.SECONDS);
            // Moquette 0.17 sends stored retained messages with the RETAIN flag clear (Paho v3 sees the same):
            // that it arrived at all, to a subscription made after the publish, is what shows it was retained.
            assertEquals("mq-retained-by-paho/lamp=on@1", received.poll(5, TimeUnit.SECONDS));
        } finally {
            closePaho(paho);
        }
    }

    @Test
    void shouldRetainAMessagePublishedAfterTheFallback() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient publisher = client("mq-retain-pub", broker.uri()).build();
                MqttClient subscriber = client("mq-retain-sub", broker.uri()).build()) {
            connect(publisher, "mq-retain-pub");
            publish(publisher, "mq-retained/lamp", "on", QoS.AT_LEAST_ONCE, true);
            publisher.disconnect();  // flushes and waits for the PUBACK: the broker holds it now
            connect(subscriber, "mq-retain-sub");
            subscriber.subscribe("mq-retained/+", QoS.AT_LEAST_ONCE, m -> received.add(brief(m)))
                    .get(5, TimeUnit.SECONDS);
            assertEquals("mq-retained/lamp=on@1", received.poll(5, TimeUnit.SECONDS), "flag clear: see above");
        }
    }

    /**
     * A persistent subscriber behind a proxy that counts TCP connections. The first connect costs two (refused v5,
     * accepted v4); the reconnect after a cut costs exactly one, so it went straight to 3.1.1. While the proxy
     * keeps the client out, Paho publishes 100 QoS 1 messages: the resumed session must deliver them all.
     *
     * <p>The cut comes only after everything published so far was received: Moquette 0.17 does not resend a
     * PUBLISH left unacknowledged by a dropped connection when the session resumes (seen on the wire here: the
     * client never acked Packet Identifier 101, and the new connection started again from 1 without it), so a
     * cut mid-stream loses messages on the broker's side whatever the client does.
     */
    @Test
    void shouldStayOn311AcrossAReconnectAndReceiveWhatWasQueuedMeanwhile() throws Exception {
        final int count = 200;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Boolean> sessions = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger losses = new AtomicInteger();
        final org.eclipse.paho.client.mqttv3.MqttClient paho = paho311("mq-stay-paho");
        try (FaultProxy proxy = FaultProxy.start(broker.port());
                MqttClient subscriber = client("mq-stay-sub", proxy.uri()).cleanStart(false).automaticReconnect(true)
                        .reconnectDelay(10, 100, TimeUnit.MILLISECONDS).connectionListener(new ConnectionListener() {
                            @Override
                            public void onConnected(boolean sessionPresent) {
                                sessions.add(sessionPresent);
                            }

                            @Override
                            public void onDisconnected(int reasonCode, String detail, boolean reconnecting) {
                                losses.incrementAndGet();
                            }
                        }).build()) {
            connect(subscriber, "mq-stay-sub");
            assertEquals(2, proxy.connectionCount(), "refused MQTT 5, then MQTT 3.1.1");
            subscriber.subscribe("mq-stay/#", QoS.AT_LEAST_ONCE, m -> received.add(m.payloadAsString()))
                    .get(5, TimeUnit.SECONDS);
            for (int i = 0; i < count / 2; i++) {
                paho.publish("mq-stay/n", utf8(Integer.toString(i)), 1, false);
            }
            assertNoneLost(received, 0, count / 2, 5);
            final int lossesBefore = losses.get();  // the refused MQTT 5 attempt counted as one
            DROPPED.removeIf("mq-stay-sub"::equals);  // only the drop the cut causes counts
            proxy.rejectConnections(true);
            proxy.cut();
            awaitDropped("mq-stay-sub");
            for (int i = count / 2; i < count; i++) {
                paho.publish("mq-stay/n", utf8(Integer.toString(i)), 1, false);  // queued for the offline session
            }
            proxy.rejectConnections(false);
            awaitReconnected(subscriber, losses, lossesBefore + 1);
            assertNoneLost(received, count / 2, count, 5);
            assertEquals(3, proxy.connectionCount(), "the reconnect went straight to MQTT 3.1.1");
        } finally {
            closePaho(paho);
        }
        assertEquals(List.of(false, true), sessions, "the session survived the cut");
        assertEquals(List.of("mq-stay-sub v4", "mq-stay-sub v4"), acceptedConnects("mq-stay-sub", 2));
    }

    /**
     * The publisher's side of a cut after the fallback: through a proxy that counts TCP connections, the client
     * reconnects once, straight in 3.1.1, and resends what was unacknowledged, so every QoS 1 message arrives.
     */
    @Test
    void shouldRefuseToConnectWhenTheFallbackIsOff() throws Exception {
        try (MqttClient client = client("mq-no-fallback", broker.uri()).fallBackTo311(false).build()) {
            final MqttException e = assertThrows(MqttException.class, client::connect);
            assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, e.reasonCode(), e.getMessage());
            assertFalse(client.isConnected());
        }
        assertEquals(List.of(), acceptedConnects("mq-no-fallback", 0));
    }
}
